using System.CommandLine;
using Cairn.Configuration;
using Cairn.Configuration.CommandLine;

namespace Cairn.Server.Hosting;

/// <summary>
/// <c>cairn serve</c>: load and validate the configuration (file, <c>CAIRN_*</c>/<c>ETCD_*</c> environment, Cairn's
/// and etcd's flags), then run the server until SIGTERM or SIGINT. Exit codes: 0 after a clean stop, 1 when the
/// configuration is invalid or the server cannot start, 2 for a malformed command line.
/// </summary>
public static class ServeCommand
{
    /// <summary>Creates the <c>serve</c> verb.</summary>
    public static Command Create()
    {
        var command = new Command("serve",
            "Run a Cairn server: a single node on 127.0.0.1:2379 with data in ./cairn.data unless a config file, CAIRN_*/ETCD_* " +
            "variables or flags say otherwise. Accepts etcd's server flags (--name, --data-dir, --listen-client-urls, ...).");
        ConfigCommandLine commandLine = ConfigCommandLine.AddTo(command);
        command.SetAction(parseResult =>
        {
            TextWriter error = parseResult.InvocationConfiguration.Error;
            ConfigLoadResult loaded = ConfigLoader.Load(commandLine.ReadSources(parseResult, ConfigSources.ProcessEnvironment()));
            if (!loaded.Succeeded)
            {
                ConfigCommand.WriteDiagnostics(error, loaded);
                error.WriteLine("cairn serve: not started; fix the configuration (check it with 'cairn config show')");
                return 1;
            }
            using var shutdown = ShutdownSignal.Register();
            using var notifier = SystemdNotifier.FromEnvironment();
            return ServeRunner.RunAsync(loaded, notifier, shutdown.Token, () => shutdown.ReceivedSignalName ?? "request", error)
                .GetAwaiter().GetResult();
        });
        return command;
    }
}
