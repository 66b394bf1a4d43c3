namespace Cairn.Configuration;

/// <summary>TLS settings of one side (client or peer). Empty paths mean "not set".</summary>
public sealed record TlsConfig
{
    /// <summary>PEM certificate served to connecting parties.</summary>
    public string CertFile { get; init; } = "";

    /// <summary>PEM private key of <see cref="CertFile"/>.</summary>
    public string KeyFile { get; init; } = "";

    /// <summary>PEM CA bundle used to verify the other side's certificates.</summary>
    public string TrustedCaFile { get; init; } = "";

    /// <summary>Require and verify a client certificate signed by <see cref="TrustedCaFile"/>.</summary>
    public bool ClientCertAuth { get; init; }

    /// <summary>etcd's self-signed certificate mode. Not supported: validation rejects true.</summary>
    public bool AutoTls { get; init; }

    /// <summary>True when a certificate and key are configured.</summary>
    public bool IsEnabled => CertFile.Length > 0 && KeyFile.Length > 0;
}
