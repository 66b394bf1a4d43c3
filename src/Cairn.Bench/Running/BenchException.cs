namespace Cairn.Bench.Running;

/// <summary>A benchmark could not run (no server, bad answer); the message says what happened and what to do.</summary>
internal sealed class BenchException(string message, Exception? inner = null) : Exception(message, inner);
