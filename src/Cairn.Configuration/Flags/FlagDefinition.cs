namespace Cairn.Configuration.Flags;

/// <summary>
/// A command-line flag of <c>cairn serve</c> and <c>cairn config show</c>: Cairn's own and every etcd 3.4 server
/// flag. <see cref="Apply"/> turns a value into key assignments, warnings or errors through a <see cref="FlagContext"/>.
/// </summary>
/// <param name="Name">The flag with two dashes, e.g. <c>--quota-backend-bytes</c>.</param>
/// <param name="Help">One line for <c>--help</c>; hidden flags (ignored or unsupported) have none.</param>
/// <param name="IsEtcdFlag">True for etcd's flags; these are also read from <c>ETCD_*</c> variables.</param>
/// <param name="IsBoolean">True when the flag may be given without a value (meaning true), as Go's bool flags.</param>
/// <param name="Apply">Interprets one value.</param>
internal sealed record FlagDefinition(string Name, string? Help, bool IsEtcdFlag, bool IsBoolean, Action<string, FlagContext> Apply)
{
    /// <summary>Hidden from <c>--help</c>: flags accepted only for etcd compatibility.</summary>
    public bool IsHidden => Help is null;

    /// <summary>The etcd environment variable of this flag, e.g. <c>ETCD_QUOTA_BACKEND_BYTES</c>.</summary>
    public string EtcdVariable => "ETCD_" + Name[2..].Replace('-', '_').ToUpperInvariant();
}

/// <summary>What a flag value may do: assign keys, warn, or fail; the origin (flag or variable) is attached for it.</summary>
internal sealed class FlagContext(ConfigOrigin origin)
{
    private readonly List<(string Key, string Text)> assignments = new();
    private readonly List<string> warnings = new();
    private readonly List<(string Key, string Message)> errors = new();

    /// <summary>The flag or variable being read.</summary>
    public ConfigOrigin Origin { get; } = origin;

    public IReadOnlyList<(string Key, string Text)> Assignments => assignments;

    public IReadOnlyList<string> Warnings => warnings;

    public IReadOnlyList<(string Key, string Message)> Errors => errors;

    public void Assign(string key, string text) => assignments.Add((key, text));

    public void Warn(string message) => warnings.Add(message);

    public void Fail(string message, string key = "") => errors.Add((key, message));
}
