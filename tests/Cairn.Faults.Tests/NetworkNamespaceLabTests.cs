using Cairn.Faults;

namespace Cairn.Faults.Tests;

public sealed class NetworkNamespaceLabTests
{
    private static bool Ping(string? fromNamespace, string address)
    {
        (int exitCode, _) = fromNamespace is null
            ? CommandRunner.TryRun("/usr/bin/ping", "-c", "1", "-W", "1", address)
            : CommandRunner.TryRun("/usr/sbin/ip", "netns", "exec", fromNamespace, "/usr/bin/ping", "-c", "1", "-W", "1", address);
        return exitCode == 0;
    }

    private static bool NamespaceExists(string name) =>
        CommandRunner.TryRun("/usr/sbin/ip", "netns", "list").Output.Contains(name, StringComparison.Ordinal);

    [Fact]
    public void Namespaces_are_supported_in_this_sandbox() =>
        Assert.Null(NetworkNamespaceLab.WhyUnsupported());

    [Fact]
    public void Partition_cuts_member_links_but_not_clients_and_heal_restores_them()
    {
        string ns0;
        using (NetworkNamespaceLab lab = NetworkNamespaceLab.Create(2))
        {
            ns0 = lab.NamespaceOf(0);
            Assert.True(Ping(null, lab.AddressOf(0)), "the root namespace (clients) reaches member 0");
            Assert.True(Ping(lab.NamespaceOf(0), lab.AddressOf(1)), "member 0 reaches member 1");

            lab.Isolate(1);
            Assert.False(Ping(lab.NamespaceOf(0), lab.AddressOf(1)), "member 0 must not reach isolated member 1");
            Assert.True(Ping(null, lab.AddressOf(1)), "clients still reach the isolated member");

            lab.Heal();
            Assert.True(Ping(lab.NamespaceOf(0), lab.AddressOf(1)), "healed link works again");

            lab.DropTraffic(receiver: 1, sender: 0);
            Assert.False(Ping(lab.NamespaceOf(0), lab.AddressOf(1)), "one-way drop loses the echo request");
            lab.Heal();
        }

        Assert.False(NamespaceExists(ns0), "dispose deletes the namespaces");
        string hostVeth = ns0[..^2] + "h0";
        Assert.DoesNotContain(hostVeth, CommandRunner.TryRun("/usr/sbin/ip", "-o", "link").Output);
    }

    [Fact]
    public void Wrapped_commands_run_inside_the_member_namespace()
    {
        using NetworkNamespaceLab lab = NetworkNamespaceLab.Create(1);
        Cairn.Testing.MemberCommand wrapped = lab.Wrap(0, new Cairn.Testing.MemberCommand("/usr/sbin/ip", ["-o", "addr"]));
        (int exitCode, string output) = CommandRunner.TryRun(wrapped.FileName, [.. wrapped.Arguments]);
        Assert.Equal(0, exitCode);
        Assert.Contains(lab.AddressOf(0), output);
    }
}
