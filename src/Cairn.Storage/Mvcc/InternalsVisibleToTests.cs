using System.Runtime.CompilerServices;

// The state tests exercise internal structures (index, value store, read gate) directly.
[assembly: InternalsVisibleTo("Cairn.Storage.Tests")]
[assembly: InternalsVisibleTo("Cairn.Storage.Benchmarks.Mvcc")]
