using Cairn.Testing;

namespace Cairn.Faults;

/// <summary>
/// Linux network namespaces for partition tests (needs root, iproute2 and iptables): every member gets its
/// own namespace with a veth whose other end sits on a bridge in the root namespace, so the test process
/// (the clients) reaches every member at 10.213.S.(10+i), and members reach each other through the bridge.
/// A partition is iptables DROP rules on INPUT inside the receiving member's namespace, which cuts member
/// links without cutting clients off (clients come from the bridge address). Disposing deletes everything.
/// </summary>
public sealed partial class NetworkNamespaceLab : IMemberNetwork, IDisposable
{
    private const string Ip = "/usr/sbin/ip";
    private const string Iptables = "/usr/sbin/iptables";
    private const int ClientPort = 2379;
    private const int PeerPort = 2380;

    private readonly string labId;
    private readonly int subnetOctet;
    private readonly int memberCount;
    private bool disposed;

    private NetworkNamespaceLab(int memberCount)
    {
        this.memberCount = memberCount;
        labId = Guid.NewGuid().ToString("N")[..4];
        subnetOctet = Random.Shared.Next(0, 256);
    }

    /// <summary>Why namespaces cannot be used here, or null when they can.</summary>
    public static string? WhyUnsupported()
    {
        if (Environment.UserName != "root")
        {
            return $"network namespaces need root (running as {Environment.UserName})";
        }

        foreach (string tool in new[] { Ip, Iptables })
        {
            if (!File.Exists(tool))
            {
                return $"{tool} is missing: apt-get install iproute2 iptables";
            }
        }

        return null;
    }

    /// <summary>Creates the bridge and one namespace per member; undoes everything if a step fails.</summary>
    public static NetworkNamespaceLab Create(int memberCount)
    {
        string? problem = WhyUnsupported();
        if (problem is not null)
        {
            throw new InvalidOperationException(problem);
        }

        var lab = new NetworkNamespaceLab(memberCount);
        try
        {
            lab.Build();
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }

    /// <summary>The address of member <paramref name="index"/> inside its namespace.</summary>
    public string AddressOf(int index) => $"10.213.{subnetOctet}.{10 + index}";

    /// <inheritdoc />
    public string ClientUrlOf(int index) => $"http://{AddressOf(index)}:{ClientPort}";

    /// <inheritdoc />
    public string PeerUrlOf(int index) => $"http://{AddressOf(index)}:{PeerPort}";

    /// <inheritdoc />
    /// <remarks>`ip netns exec` execs the program in place, so the member's PID is the one started here.</remarks>
    public MemberCommand Wrap(int index, MemberCommand command) =>
        new(Ip, ["netns", "exec", NamespaceOf(index), command.FileName, .. command.Arguments]);

    /// <summary>The namespace name of member <paramref name="index"/>.</summary>
    public string NamespaceOf(int index) => $"cf{labId}m{index}";

    private string BridgeName => $"cf{labId}br";

    private void Build()
    {
        CommandRunner.Run(Ip, "link", "add", BridgeName, "type", "bridge");
        CommandRunner.Run(Ip, "addr", "add", $"10.213.{subnetOctet}.1/24", "dev", BridgeName);
        CommandRunner.Run(Ip, "link", "set", BridgeName, "up");
        for (int i = 0; i < memberCount; i++)
        {
            string ns = NamespaceOf(i);
            string hostEnd = $"cf{labId}h{i}";
            string memberEnd = $"cf{labId}n{i}";
            CommandRunner.Run(Ip, "netns", "add", ns);
            CommandRunner.Run(Ip, "link", "add", hostEnd, "type", "veth", "peer", "name", memberEnd);
            CommandRunner.Run(Ip, "link", "set", memberEnd, "netns", ns);
            CommandRunner.Run(Ip, "link", "set", hostEnd, "master", BridgeName);
            CommandRunner.Run(Ip, "link", "set", hostEnd, "up");
            CommandRunner.Run(Ip, "-n", ns, "addr", "add", $"{AddressOf(i)}/24", "dev", memberEnd);
            CommandRunner.Run(Ip, "-n", ns, "link", "set", memberEnd, "up");
            CommandRunner.Run(Ip, "-n", ns, "link", "set", "lo", "up");
        }
    }

    /// <summary>Deletes the namespaces (their veths go with them) and the bridge; never throws.</summary>
    public void Dispose()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        for (int i = 0; i < memberCount; i++)
        {
            // The kernel tears a namespace down lazily (sockets in TIME_WAIT keep it alive), so the veth
            // is deleted explicitly too: deleting one end deletes the pair.
            CommandRunner.TryRun(Ip, "link", "del", $"cf{labId}h{i}");
            CommandRunner.TryRun(Ip, "netns", "del", NamespaceOf(i));
        }

        CommandRunner.TryRun(Ip, "link", "del", BridgeName);
    }
}
