using Cairn.Cli.Output;

namespace Cairn.Cli.Settings;

/// <summary>The global flags of the client verbs after flags, ETCDCTL_* environment variables and defaults are merged.</summary>
public sealed record ClientSettings
{
    /// <summary>gRPC endpoints (host:port or URL), in the order given.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = ["127.0.0.1:2379"];

    /// <summary>--write-out</summary>
    public OutputFormat Format { get; init; } = OutputFormat.Simple;

    /// <summary>--hex: print keys and values as \xNN escapes (simple format).</summary>
    public bool Hex { get; init; }

    /// <summary>--dial-timeout</summary>
    public TimeSpan DialTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>--command-timeout: deadline of each short request.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>--keepalive-time: HTTP/2 ping interval of an idle connection.</summary>
    public TimeSpan KeepAliveTime { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>--keepalive-timeout: how long a ping may go unanswered before the connection is dropped.</summary>
    public TimeSpan KeepAliveTimeout { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>--cacert: CA bundle that verifies the server.</summary>
    public string? CaCertFile { get; init; }

    /// <summary>--cert: client certificate.</summary>
    public string? CertFile { get; init; }

    /// <summary>--key: client private key.</summary>
    public string? KeyFile { get; init; }

    /// <summary>--insecure-skip-tls-verify</summary>
    public bool InsecureSkipTlsVerify { get; init; }

    /// <summary>--insecure-transport: plain-text connections when no TLS option is given (default true).</summary>
    public bool InsecureTransport { get; init; } = true;

    /// <summary>User name from --user (null when authentication is not used).</summary>
    public string? User { get; init; }

    /// <summary>Password from --user name:password, --password or the prompt.</summary>
    public string? Password { get; init; }

    /// <summary>--debug: print each call to stderr.</summary>
    public bool Debug { get; init; }

    /// <summary>True when any TLS option asks for an encrypted connection.</summary>
    public bool UsesTls => CaCertFile is not null || CertFile is not null || KeyFile is not null || InsecureSkipTlsVerify;
}
