namespace Cairn.Testing;

/// <summary>One running member process of a <see cref="LocalCluster"/>.</summary>
public sealed class ClusterMemberProcess : ServerProcess
{
    /// <summary>Starts <paramref name="command"/>.</summary>
    public ClusterMemberProcess(MemberCommand command)
        : base(command.FileName, command.Arguments, null)
    {
    }

    /// <summary>Polls <paramref name="probe"/> until true; throws with the member's output on timeout or exit.</summary>
    public Task WaitForAsync(Func<Task<bool>> probe, TimeSpan timeout, string what) => WaitUntilAsync(probe, timeout, what);
}
