namespace Cairn.Configuration;

/// <summary>Logging: JSON lines on stdout by default, which journald stores as structured entries.</summary>
public sealed record LogConfig
{
    /// <summary>Least severe level written.</summary>
    public LogSeverity Level { get; init; } = LogSeverity.Info;

    /// <summary>JSON lines or human-readable text.</summary>
    public LogFormat Format { get; init; } = LogFormat.Json;

    /// <summary>The stream logs go to.</summary>
    public LogOutput Output { get; init; } = LogOutput.Stdout;
}

/// <summary>Log levels, least to most severe.</summary>
public enum LogSeverity
{
    /// <summary>Everything, including per-request detail.</summary>
    Debug,

    /// <summary>Normal operation: start, stop, leader changes.</summary>
    Info,

    /// <summary>Something is wrong but the server copes.</summary>
    Warn,

    /// <summary>An operation failed.</summary>
    Error,
}

/// <summary>Log line format.</summary>
public enum LogFormat
{
    /// <summary>One JSON object per line.</summary>
    Json,

    /// <summary>Human-readable lines.</summary>
    Text,
}

/// <summary>Log destination stream.</summary>
public enum LogOutput
{
    /// <summary>Standard output (journald under systemd).</summary>
    Stdout,

    /// <summary>Standard error.</summary>
    Stderr,
}
