namespace Cairn.Faults;

/// <summary>Cutting and healing links between members.</summary>
public sealed partial class NetworkNamespaceLab
{
    /// <summary>Member <paramref name="receiver"/> stops hearing from member <paramref name="sender"/> (one-way).</summary>
    public void DropTraffic(int receiver, int sender) =>
        CommandRunner.Run(Ip, "netns", "exec", NamespaceOf(receiver), Iptables, "-A", "INPUT", "-s", AddressOf(sender), "-j", "DROP");

    /// <summary>Cuts every link between the two sides, both ways. Clients still reach every member.</summary>
    public void Partition(IReadOnlyCollection<int> sideA, IReadOnlyCollection<int> sideB)
    {
        foreach (int a in sideA)
        {
            foreach (int b in sideB)
            {
                DropTraffic(a, b);
                DropTraffic(b, a);
            }
        }
    }

    /// <summary>Cuts member <paramref name="index"/> off from every other member.</summary>
    public void Isolate(int index) =>
        Partition([index], Enumerable.Range(0, memberCount).Where(i => i != index).ToArray());

    /// <summary>Removes every partition rule.</summary>
    public void Heal()
    {
        for (int i = 0; i < memberCount; i++)
        {
            CommandRunner.Run(Ip, "netns", "exec", NamespaceOf(i), Iptables, "-F", "INPUT");
        }
    }
}
