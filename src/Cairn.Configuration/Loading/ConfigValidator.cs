namespace Cairn.Configuration;

/// <summary>
/// Rules that involve more than one key (each reported at the origin of the key that has to change). Runs only
/// when every single value is valid.
/// </summary>
internal static partial class ConfigValidator
{
    public static void Validate(CairnConfig config, Func<string, ConfigOrigin> originOf, List<ConfigDiagnostic> errors, List<ConfigDiagnostic> warnings)
    {
        var rules = new RuleContext(originOf, errors, warnings);
        ValidateEndpoints(config, rules);
        ValidateTls(config.Client, "client", rules);
        ValidateTls(config.Peer, "peer", rules);
        ValidateCluster(config, rules);
        ValidateRaftAndStorage(config, rules);
        ValidateAuth(config.Auth, rules);
    }

    private static void ValidateEndpoints(CairnConfig config, RuleContext rules)
    {
        foreach (string key in new[] { "client.listen_urls", "client.advertise_urls", "peer.listen_urls", "peer.advertise_urls" })
        {
            if (ConfigLoader.FormatValue(config, key) == "[]")
            {
                rules.Error(key, "needs at least one URL");
            }
        }
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        CheckDistinct(config.Client.ListenUrls, "client.listen_urls", owners, rules);
        CheckDistinct(config.Peer.ListenUrls, "peer.listen_urls", owners, rules);
        CheckDistinct(config.Metrics.ListenUrls, "metrics.listen_urls", owners, rules);
    }

    private static void CheckDistinct(IReadOnlyList<Uri> urls, string key, Dictionary<string, string> owners, RuleContext rules)
    {
        foreach (Uri url in urls)
        {
            string port = $"{url.Host.ToLowerInvariant()}:{url.Port}";
            if (owners.TryGetValue(port, out string? owner))
            {
                rules.Error(key, $"{ConfigUrls.Format(url)} is also in {owner}; each listener needs its own address and port");
            }
            owners[port] = key;
        }
    }

    private static void ValidateTls(EndpointConfig endpoint, string side, RuleContext rules)
    {
        TlsConfig tls = endpoint.Tls;
        if (tls.AutoTls)
        {
            rules.Error($"{side}.tls.auto_tls", "self-signed automatic TLS is not supported; set cert_file and key_file (or leave auto_tls false)");
        }
        if ((tls.CertFile.Length > 0) != (tls.KeyFile.Length > 0))
        {
            string missing = tls.CertFile.Length > 0 ? "key_file" : "cert_file";
            string given = tls.CertFile.Length > 0 ? "cert_file" : "key_file";
            rules.Error($"{side}.tls.{given}", $"{side}.tls.{missing} is missing; TLS needs both a certificate and its key");
        }
        if (tls.ClientCertAuth && tls.TrustedCaFile.Length == 0)
        {
            rules.Error($"{side}.tls.client_cert_auth", $"needs {side}.tls.trusted_ca_file to verify certificates against");
        }
        bool anyHttps = endpoint.ListenUrls.Any(url => url.Scheme == "https");
        if (anyHttps && !tls.IsEnabled)
        {
            rules.Error($"{side}.listen_urls", $"an https:// URL needs {side}.tls.cert_file and {side}.tls.key_file");
        }
        else if (!anyHttps && tls.IsEnabled)
        {
            rules.Warn($"{side}.tls.cert_file", $"TLS files are set but every {side}.listen_urls entry is http://, so TLS is not used");
        }
    }

    private static void ValidateAuth(AuthConfig auth, RuleContext rules)
    {
        if (auth.Token == AuthTokenType.Jwt && (auth.JwtPublicKeyFile.Length == 0 || auth.JwtPrivateKeyFile.Length == 0))
        {
            rules.Error("auth.token", "jwt tokens need auth.jwt_public_key_file and auth.jwt_private_key_file");
        }
    }

    /// <summary>Reports diagnostics at the current origin of a key.</summary>
    private sealed class RuleContext(Func<string, ConfigOrigin> originOf, List<ConfigDiagnostic> errors, List<ConfigDiagnostic> warnings)
    {
        public void Error(string key, string message) => errors.Add(new ConfigDiagnostic(originOf(key), key, message));

        public void Warn(string key, string message) => warnings.Add(new ConfigDiagnostic(originOf(key), key, message));
    }
}
