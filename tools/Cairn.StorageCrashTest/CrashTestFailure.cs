namespace Cairn.StorageCrashTest;

/// <summary>The WAL broke a promise: an acknowledged record is missing or damaged, or recovery failed.</summary>
public sealed class CrashTestFailure(string message) : Exception(message);
