namespace Cairn.Configuration;

/// <summary>A configuration error or warning: where, which key, and what is wrong.</summary>
/// <param name="Origin">The source of the offending value.</param>
/// <param name="Key">The setting's key (e.g. <c>storage.quota_backend_bytes</c>), or empty when none applies.</param>
/// <param name="Message">What is wrong and what to do.</param>
public sealed record ConfigDiagnostic(ConfigOrigin Origin, string Key, string Message)
{
    /// <summary>Formats as <c>origin: key: message</c>, e.g. <c>/etc/cairn/cairn.toml:12: storage.quota_backend_bytes: ...</c>.</summary>
    public override string ToString() => Key.Length > 0 ? $"{Origin}: {Key}: {Message}" : $"{Origin}: {Message}";
}
