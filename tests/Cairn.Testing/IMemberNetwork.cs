namespace Cairn.Testing;

/// <summary>
/// Where the members of a <see cref="LocalCluster"/> live: their addresses and how their processes are
/// launched (directly on loopback, or inside a network namespace so links between them can be cut).
/// </summary>
public interface IMemberNetwork
{
    /// <summary>The client URL of member <paramref name="index"/>.</summary>
    string ClientUrlOf(int index);

    /// <summary>The peer URL of member <paramref name="index"/>.</summary>
    string PeerUrlOf(int index);

    /// <summary>The command that runs <paramref name="command"/> as member <paramref name="index"/> (same PID as the member).</summary>
    MemberCommand Wrap(int index, MemberCommand command);
}

/// <summary>Every member on 127.0.0.1 with its own free ports; processes run directly.</summary>
public sealed class LoopbackNetwork : IMemberNetwork
{
    private readonly int[] clientPorts;
    private readonly int[] peerPorts;

    /// <summary>Reserves ports for <paramref name="memberCount"/> members.</summary>
    public LoopbackNetwork(int memberCount)
    {
        clientPorts = new int[memberCount];
        peerPorts = new int[memberCount];
        for (int i = 0; i < memberCount; i++)
        {
            clientPorts[i] = FreePort.Next();
            peerPorts[i] = FreePort.Next();
        }
    }

    /// <inheritdoc />
    public string ClientUrlOf(int index) => $"http://127.0.0.1:{clientPorts[index]}";

    /// <inheritdoc />
    public string PeerUrlOf(int index) => $"http://127.0.0.1:{peerPorts[index]}";

    /// <inheritdoc />
    public MemberCommand Wrap(int index, MemberCommand command) => command;
}
