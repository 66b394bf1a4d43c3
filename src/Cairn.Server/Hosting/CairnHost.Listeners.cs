using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cairn.Configuration;
using Cairn.Server.Transport;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Cairn.Server.Hosting;

/// <summary>Listeners: one Kestrel endpoint per client URL, with TLS when the URL is https.</summary>
public sealed partial class CairnHost
{
    /// <summary>
    /// The client port (Cairn.Server.Transport): every client URL serves gRPC and HTTP/1.1 on one port. Cleartext
    /// connections are routed by sniffing the HTTP/2 preface (Kestrel cannot negotiate h2c on a mixed endpoint); with
    /// TLS, ALPN picks HTTP/1.1 or HTTP/2. All client URLs use one scheme.
    /// </summary>
    private static void ConfigureListeners(IWebHostBuilder webHost, CairnConfig config)
    {
        var port = new ClientPortOptions { MaxConcurrentStreamsPerConnection = config.Limits.MaxConcurrentStreams };
        int secure = config.Client.ListenUrls.Count(url => url.Scheme == "https");
        if (secure > 0 && secure < config.Client.ListenUrls.Count)
        {
            throw new HostStartException(
                $"client.listen_urls mixes http:// and https:// ({string.Join(",", config.Client.ListenUrls.Select(ConfigUrls.Format))}); " +
                "one client port speaks either cleartext or TLS: use one scheme for every URL");
        }

        foreach (Uri url in config.Client.ListenUrls)
        {
            port.ListenEndPoints.Add(new IPEndPoint(url.Host == "localhost" ? IPAddress.Loopback : IPAddress.Parse(url.IdnHost), url.Port));
        }

        if (secure > 0)
        {
            HttpsConnectionAdapterOptions https = CreateHttpsOptions(config.Client.Tls);
            port.ServerCertificate = https.ServerCertificate;
            port.ConfigureHttps = options =>
            {
                options.ClientCertificateMode = https.ClientCertificateMode;
                options.ClientCertificateValidation = https.ClientCertificateValidation;
            };
        }

        webHost.UseCairnClientPort(port);
    }

    private static HttpsConnectionAdapterOptions CreateHttpsOptions(TlsConfig tls)
    {
        var options = new HttpsConnectionAdapterOptions
        {
            ServerCertificate = LoadPem(() => X509Certificate2.CreateFromPemFile(tls.CertFile, tls.KeyFile), tls.CertFile),
        };
        if (tls.ClientCertAuth)
        {
            var authorities = LoadPem(() => LoadCertificates(tls.TrustedCaFile), tls.TrustedCaFile);
            options.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            options.ClientCertificateValidation = (certificate, _, errors) => IsSignedBy(certificate, authorities, errors);
        }
        return options;
    }

    /// <summary>A client certificate is trusted when it chains to one of the configured CAs (and nothing else is wrong).</summary>
    private static bool IsSignedBy(X509Certificate2 certificate, X509Certificate2Collection authorities, SslPolicyErrors errors)
    {
        if ((errors & ~(SslPolicyErrors.RemoteCertificateChainErrors)) != SslPolicyErrors.None)
        {
            return false;
        }
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    private static X509Certificate2Collection LoadCertificates(string path)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(path);
        return certificates;
    }

    private static T LoadPem<T>(Func<T> load, string path)
    {
        try
        {
            return load();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            throw new HostStartException($"cannot load TLS file {path}: {exception.Message}; check the path and that it is PEM");
        }
    }
}
