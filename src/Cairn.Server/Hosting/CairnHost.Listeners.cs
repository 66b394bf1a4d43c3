using System.Net;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Cairn.Configuration;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Cairn.Server.Hosting;

/// <summary>Listeners: one Kestrel endpoint per client URL, with TLS when the URL is https.</summary>
public sealed partial class CairnHost
{
    private static void ConfigureListeners(KestrelServerOptions kestrel, CairnConfig config)
    {
        kestrel.AddServerHeader = false;
        kestrel.Limits.Http2.MaxStreamsPerConnection = config.Limits.MaxConcurrentStreams;
        foreach (Uri url in config.Client.ListenUrls)
        {
            Listen(kestrel, url, listener => ConfigureClientListener(listener, url, config.Client.Tls));
        }
    }

    private static void Listen(KestrelServerOptions kestrel, Uri url, Action<ListenOptions> configure)
    {
        if (url.Host == "localhost")
        {
            kestrel.ListenLocalhost(url.Port, configure);
        }
        else
        {
            kestrel.Listen(IPAddress.Parse(url.IdnHost), url.Port, configure);
        }
    }

    /// <summary>
    /// One client listener. Cleartext serves HTTP/1.1 for now; the gRPC transport will route HTTP/2 connections
    /// here by sniffing the connection preface (Kestrel cannot negotiate h2c on a mixed endpoint). With TLS,
    /// ALPN picks HTTP/1.1 or HTTP/2.
    /// </summary>
    private static void ConfigureClientListener(ListenOptions listener, Uri url, TlsConfig tls)
    {
        if (url.Scheme != "https")
        {
            listener.Protocols = HttpProtocols.Http1;
            return;
        }
        listener.Protocols = HttpProtocols.Http1AndHttp2;
        listener.UseHttps(CreateHttpsOptions(tls));
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
