using System.CommandLine;
using Cairn.Cli.Output;

namespace Cairn.Cli.Settings;

/// <summary>
/// etcdctl's global flags, accepted by every client verb (before or after the verb name), and their ETCDCTL_*
/// environment variables. A flag on the command line wins over its environment variable, which wins over the
/// default (etcdctl 3.4 instead refuses a flag whose variable is also set; docs/CLI.md).
/// </summary>
public sealed class GlobalOptions
{
    /// <summary>Creates the option set (one instance is shared by every client verb).</summary>
    public GlobalOptions()
    {
        Endpoints = Recursive(new Option<string[]>("--endpoints") { Description = "gRPC endpoints, comma separated (default 127.0.0.1:2379)" });
        WriteOut = Recursive(new Option<string>("--write-out", "-w") { Description = "output format: simple, json, fields, protobuf or table (default simple)" });
        Hex = Recursive(new Option<bool>("--hex") { Description = "print byte strings as hex encoded strings" });
        DialTimeout = Recursive(new Option<string>("--dial-timeout") { Description = "dial timeout for client connections (default 2s)" });
        CommandTimeout = Recursive(new Option<string>("--command-timeout") { Description = "timeout for short running commands, excluding dial timeout (default 5s)" });
        KeepAliveTime = Recursive(new Option<string>("--keepalive-time") { Description = "keepalive time for client connections (default 2s)" });
        KeepAliveTimeout = Recursive(new Option<string>("--keepalive-timeout") { Description = "keepalive timeout for client connections (default 6s)" });
        CaCert = Recursive(new Option<string>("--cacert") { Description = "verify certificates of TLS-enabled secure servers using this CA bundle" });
        Cert = Recursive(new Option<string>("--cert") { Description = "identify secure client using this TLS certificate file" });
        Key = Recursive(new Option<string>("--key") { Description = "identify secure client using this TLS key file" });
        InsecureSkipTlsVerify = Recursive(new Option<bool>("--insecure-skip-tls-verify") { Description = "skip server certificate verification (testing only)" });
        InsecureTransport = Recursive(new Option<bool>("--insecure-transport") { Description = "disable transport security for client connections (default true)" });
        User = Recursive(new Option<string>("--user") { Description = "username[:password] for authentication (prompt if password is not supplied)" });
        Password = Recursive(new Option<string>("--password") { Description = "password for authentication (then --user must not include a password)" });
        Debug = Recursive(new Option<bool>("--debug") { Description = "enable client-side debug logging" });
    }

    /// <summary>--endpoints</summary>
    public Option<string[]> Endpoints { get; }

    /// <summary>-w, --write-out</summary>
    public Option<string> WriteOut { get; }

    /// <summary>--hex</summary>
    public Option<bool> Hex { get; }

    /// <summary>--dial-timeout</summary>
    public Option<string> DialTimeout { get; }

    /// <summary>--command-timeout</summary>
    public Option<string> CommandTimeout { get; }

    /// <summary>--keepalive-time</summary>
    public Option<string> KeepAliveTime { get; }

    /// <summary>--keepalive-timeout</summary>
    public Option<string> KeepAliveTimeout { get; }

    /// <summary>--cacert</summary>
    public Option<string> CaCert { get; }

    /// <summary>--cert</summary>
    public Option<string> Cert { get; }

    /// <summary>--key</summary>
    public Option<string> Key { get; }

    /// <summary>--insecure-skip-tls-verify</summary>
    public Option<bool> InsecureSkipTlsVerify { get; }

    /// <summary>--insecure-transport</summary>
    public Option<bool> InsecureTransport { get; }

    /// <summary>--user</summary>
    public Option<string> User { get; }

    /// <summary>--password</summary>
    public Option<string> Password { get; }

    /// <summary>--debug</summary>
    public Option<bool> Debug { get; }

    /// <summary>Every global option, to add to each verb.</summary>
    public IEnumerable<Option> All =>
    [
        Endpoints, WriteOut, Hex, DialTimeout, CommandTimeout, KeepAliveTime, KeepAliveTimeout, CaCert, Cert, Key,
        InsecureSkipTlsVerify, InsecureTransport, User, Password, Debug,
    ];

    /// <summary>
    /// Merges flags, environment (<paramref name="environment"/> looks up ETCDCTL_* variables) and defaults.
    /// Throws <see cref="CliException"/> for a bad value.
    /// </summary>
    public ClientSettings Resolve(ParseResult parsed, Func<string, string?> environment)
    {
        var merged = new SettingSource(parsed, environment);
        string[] endpoints = merged.Strings(Endpoints, "ETCDCTL_ENDPOINTS") ?? ["127.0.0.1:2379"];
        var (user, password) = merged.Credentials(User, Password);
        return new ClientSettings
        {
            Endpoints = endpoints,
            Format = OutputFormats.Parse(merged.Text(WriteOut, "ETCDCTL_WRITE_OUT") ?? "simple"),
            Hex = merged.Flag(Hex, "ETCDCTL_HEX") ?? false,
            DialTimeout = merged.Duration(DialTimeout, "ETCDCTL_DIAL_TIMEOUT") ?? TimeSpan.FromSeconds(2),
            CommandTimeout = merged.Duration(CommandTimeout, "ETCDCTL_COMMAND_TIMEOUT") ?? TimeSpan.FromSeconds(5),
            KeepAliveTime = merged.Duration(KeepAliveTime, "ETCDCTL_KEEPALIVE_TIME") ?? TimeSpan.FromSeconds(2),
            KeepAliveTimeout = merged.Duration(KeepAliveTimeout, "ETCDCTL_KEEPALIVE_TIMEOUT") ?? TimeSpan.FromSeconds(6),
            CaCertFile = merged.Text(CaCert, "ETCDCTL_CACERT"),
            CertFile = merged.Text(Cert, "ETCDCTL_CERT"),
            KeyFile = merged.Text(Key, "ETCDCTL_KEY"),
            InsecureSkipTlsVerify = merged.Flag(InsecureSkipTlsVerify, "ETCDCTL_INSECURE_SKIP_TLS_VERIFY") ?? false,
            InsecureTransport = merged.Flag(InsecureTransport, "ETCDCTL_INSECURE_TRANSPORT") ?? true,
            User = user,
            Password = password,
            Debug = merged.Flag(Debug, "ETCDCTL_DEBUG") ?? false,
        };
    }

    private static Option<T> Recursive<T>(Option<T> option)
    {
        option.Recursive = true;
        return option;
    }
}
