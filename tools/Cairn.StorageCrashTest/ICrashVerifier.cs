namespace Cairn.StorageCrashTest;

/// <summary>Collects what a child acknowledged and checks the WAL after the child was killed.</summary>
internal interface ICrashVerifier
{
    /// <summary>A line the child printed after an operation became durable.</summary>
    void Acknowledged(string line);

    /// <summary>Opens the WAL and checks it; throws <see cref="CrashTestFailure"/> on a violation.</summary>
    CrashCycleResult Verify(string directory, int cycle);
}
