using System.Globalization;
using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>
/// Debian's Patroni managing one PostgreSQL 15 instance in a temp directory, with cairn (or etcd) as its etcd3 DCS.
/// PostgreSQL refuses to run as root, so under root Patroni runs as the postgres user (setpriv execs it directly,
/// so signals reach Patroni itself) in a directory chowned to that user.
/// </summary>
internal sealed class PatroniProcess : ServerProcess
{
    public const string PostgresBinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly TempDirectory directory;

    private PatroniProcess(TempDirectory directory, string configPath, int restApiPort)
        : base(Launcher(), LauncherArguments(configPath), new Dictionary<string, string> { ["HOME"] = directory.Path })
    {
        this.directory = directory;
        RestApiUrl = $"http://127.0.0.1:{restApiPort}";
    }

    public string RestApiUrl { get; }

    public string DataDirectory => directory.Combine("pgdata");

    /// <summary>Writes the config for <paramref name="scope"/>/<paramref name="name"/> against <paramref name="dcsEndpoint"/> (host:port) and starts Patroni.</summary>
    public static PatroniProcess Start(string scope, string name, string dcsEndpoint)
    {
        var directory = new TempDirectory("patroni");
        int restApiPort = FreePort.Next();
        int postgresPort = FreePort.Next();
        string configPath = directory.Combine("patroni.yml");
        File.WriteAllText(configPath, Config(scope, name, dcsEndpoint, directory.Path, restApiPort, postgresPort));
        if (Environment.UserName == "root")
        {
            ProcessRunner.RunAsync("/bin/chown", ["-R", "postgres:postgres", directory.Path]).GetAwaiter().GetResult()
                .EnsureSuccess("chown of the Patroni directory to postgres");
        }
        return new PatroniProcess(directory, configPath, restApiPort);
    }

    /// <summary>Polls GET /leader until Patroni's REST API answers 200 (this member holds the leader lock).</summary>
    public Task WaitUntilLeaderAsync(TimeSpan timeout)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        return WaitUntilAsync(async () =>
        {
            try
            {
                using var response = await http.GetAsync($"{RestApiUrl}/leader");
                return (int)response.StatusCode == 200;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException)
            {
                return false;
            }
        }, timeout, "the Patroni leader");
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // A Patroni that had to be killed leaves PostgreSQL running; stop it so no test leaves a server behind.
        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            string[] stop = ["-D", DataDirectory, "stop", "-m", "immediate", "-w"];
            await ProcessRunner.RunAsync(Launcher(), Environment.UserName == "root"
                ? ["--reuid=postgres", "--regid=postgres", "--init-groups", $"{PostgresBinDirectory}/pg_ctl", .. stop]
                : stop);
        }
        directory.Dispose();
    }

    private static string Launcher() => Environment.UserName == "root" ? "/usr/bin/setpriv" : "/usr/bin/patroni";

    private static string[] LauncherArguments(string configPath) => Environment.UserName == "root"
        ? ["--reuid=postgres", "--regid=postgres", "--init-groups", "/usr/bin/patroni", configPath]
        : [configPath];

    private static string Config(string scope, string name, string dcsEndpoint, string directory, int restApiPort, int postgresPort) =>
        string.Create(CultureInfo.InvariantCulture, $"""
            scope: {scope}
            name: {name}
            restapi:
              listen: 127.0.0.1:{restApiPort}
              connect_address: 127.0.0.1:{restApiPort}
            etcd3:
              host: {dcsEndpoint}
            bootstrap:
              dcs:
                ttl: 20
                loop_wait: 1
                retry_timeout: 5
              initdb:
              - encoding: UTF8
            postgresql:
              listen: 127.0.0.1:{postgresPort}
              connect_address: 127.0.0.1:{postgresPort}
              data_dir: {directory}/pgdata
              bin_dir: {PostgresBinDirectory}
              pgpass: {directory}/pgpass
              authentication:
                superuser:
                  username: postgres
                  password: cairn-test
                replication:
                  username: replicator
                  password: cairn-test
              parameters:
                unix_socket_directories: {directory}
            """);
}
