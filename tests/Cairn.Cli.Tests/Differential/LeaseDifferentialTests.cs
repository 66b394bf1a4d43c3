using Cairn.Cli.Tests.Support;
using Cairn.Protocol.Etcd;
using Google.Protobuf;

namespace Cairn.Cli.Tests.Differential;

/// <summary>lease grant, revoke, timetolive, list and keep-alive: same output and exit codes as etcdctl 3.4.</summary>
public class LeaseDifferentialTests
{
    public static TheoryData<string> Formats => new() { "simple", "json", "fields", "protobuf", "table" };

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Grant(string format)
    {
        var script = new EtcdScript().Answer("Lease/LeaseGrant", new LeaseGrantResponse { Header = Responses.Header(), ID = 0x3ceea20151e43110, TTL = 100 });
        await SideBySide.AssertSameAsync(script, "lease", "grant", "100", "-w", format);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task Revoke(string format)
    {
        var script = new EtcdScript().Answer("Lease/LeaseRevoke", new LeaseRevokeResponse { Header = Responses.Header() });
        await SideBySide.AssertSameAsync(script, "lease", "revoke", "3ceea20151e43110", "-w", format);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task TimeToLive_with_keys(string format)
    {
        var response = new LeaseTimeToLiveResponse { Header = Responses.Header(), ID = 0x3ceea20151e43110, TTL = 294, GrantedTTL = 300 };
        response.Keys.AddRange([ByteString.CopyFromUtf8("lk"), ByteString.CopyFrom(0xff, 0x00)]);
        var script = new EtcdScript().Answer("Lease/LeaseTimeToLive", response);
        await SideBySide.AssertSameAsync(script, "lease", "timetolive", "3ceea20151e43110", "--keys", "-w", format);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task TimeToLive_of_an_expired_lease(string format)
    {
        var script = new EtcdScript().Answer("Lease/LeaseTimeToLive", new LeaseTimeToLiveResponse { Header = Responses.Header(), ID = 0x1234, TTL = -1 });
        await SideBySide.AssertSameAsync(script, "lease", "timetolive", "1234", "-w", format);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task List(string format)
    {
        var response = new LeaseLeasesResponse { Header = Responses.Header() };
        response.Leases.AddRange([new LeaseStatus { ID = 0x3ceea20151e43113 }, new LeaseStatus { ID = 5 }]);
        var script = new EtcdScript().Answer("Lease/LeaseLeases", response);
        await SideBySide.AssertSameAsync(script, "lease", "list", "-w", format);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task List_with_no_leases(string format)
    {
        var script = new EtcdScript().Answer("Lease/LeaseLeases", new LeaseLeasesResponse { Header = Responses.Header() });
        await SideBySide.AssertSameAsync(script, "lease", "list", "-w", format);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public async Task KeepAlive_once(string format)
    {
        var script = new EtcdScript
        {
            KeepAlive = request => new LeaseKeepAliveResponse { Header = Responses.Header(), ID = request.ID, TTL = 60 },
        };
        await SideBySide.AssertSameAsync(script, "lease", "keep-alive", "--once", "3ceea20151e43110", "-w", format);
    }

    [Fact]
    public async Task KeepAlive_once_of_an_unknown_lease_is_exit_code_2()
    {
        var script = new EtcdScript { KeepAlive = request => new LeaseKeepAliveResponse { Header = Responses.Header(), ID = request.ID } };
        var (etcdctl, _) = await SideBySide.AssertSameAsync(script, "lease", "keep-alive", "--once", "1234");
        Assert.Equal(2, etcdctl.ExitCode);
        Assert.Equal("Error: etcdserver: requested lease not found\n", etcdctl.Stderr);
    }

    [Fact]
    public async Task KeepAlive_of_an_unknown_lease_says_it_expired()
    {
        var script = new EtcdScript { KeepAlive = request => new LeaseKeepAliveResponse { Header = Responses.Header(), ID = request.ID } };
        var (etcdctl, _) = await SideBySide.AssertSameAsync(script, "lease", "keep-alive", "1234");
        Assert.Equal("lease 0000000000001234 expired or revoked.\n", etcdctl.Text);
    }

    [Fact]
    public async Task Revoke_of_an_unknown_lease_fails_like_etcdctl()
    {
        var script = new EtcdScript().Fail("Lease/LeaseRevoke", 5, "etcdserver: requested lease not found");
        var (etcdctl, _) = await SideBySide.AssertSameAsync(script, "lease", "revoke", "1234");
        Assert.Equal(1, etcdctl.ExitCode);
    }

    [Theory]
    [InlineData("lease", "grant")]
    [InlineData("lease", "grant", "x")]
    [InlineData("lease", "grant", "1", "2")]
    [InlineData("lease", "revoke")]
    [InlineData("lease", "revoke", "zz")]
    [InlineData("lease", "timetolive")]
    [InlineData("lease", "timetolive", "-w", "json", "zz")]
    [InlineData("lease", "keep-alive")]
    [InlineData("lease", "keep-alive", "--once", "zz")]
    [InlineData("lease", "revoke", "--", "-5")]
    public async Task Argument_errors_match(params string[] args)
    {
        var script = new EtcdScript().Fail("Lease/LeaseRevoke", 5, "etcdserver: requested lease not found");
        await SideBySide.AssertSameAsync(script, args);
    }
}
