using System.Runtime.CompilerServices;

// The tests reach the fault-injection points and internal counters of the WAL.
[assembly: InternalsVisibleTo("Cairn.Storage.Tests")]
