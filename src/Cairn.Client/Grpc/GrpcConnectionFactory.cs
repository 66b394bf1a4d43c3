using System.Net;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Cairn.Client.Grpc;

/// <summary>Builds the <see cref="SocketsHttpHandler"/> behind one HTTP/2 connection, with the client's TLS settings.</summary>
internal static class GrpcConnectionFactory
{
    public static HttpMessageInvoker Create(EtcdClientOptions options, X509Certificate2Collection? trustedCas, X509Certificate2? clientCertificate)
    {
        var handler = new SocketsHttpHandler
        {
            // The client manages its own connection count; one handler is one HTTP/2 connection.
            EnableMultipleHttp2Connections = false,
            ConnectTimeout = options.DialTimeout,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            InitialHttp2StreamWindowSize = options.InitialStreamWindowBytes,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            SslOptions = BuildTls(options, trustedCas, clientCertificate),
        };
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>Loads the CA bundle and client certificate once for all connections.</summary>
    public static (X509Certificate2Collection? TrustedCas, X509Certificate2? ClientCertificate) LoadCredentials(EtcdClientOptions options)
    {
        X509Certificate2Collection? trustedCas = null;
        if (options.CaFile is not null)
        {
            trustedCas = new X509Certificate2Collection();
            trustedCas.ImportFromPemFile(options.CaFile);
            if (trustedCas.Count == 0)
            {
                throw new ArgumentException($"the CA file {options.CaFile} holds no PEM certificate");
            }
        }

        X509Certificate2? clientCertificate = options.CertFile is not null && options.KeyFile is not null
            ? X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile)
            : null;
        return (trustedCas, clientCertificate);
    }

    private static SslClientAuthenticationOptions BuildTls(EtcdClientOptions options, X509Certificate2Collection? trustedCas, X509Certificate2? clientCertificate)
    {
        var tls = new SslClientAuthenticationOptions();
        if (clientCertificate is not null)
        {
            tls.ClientCertificates = new X509CertificateCollection { clientCertificate };
        }

        if (options.InsecureSkipVerify)
        {
            tls.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }
        else if (trustedCas is not null)
        {
            tls.CertificateChainPolicy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            tls.CertificateChainPolicy.CustomTrustStore.AddRange(trustedCas);
        }

        return tls;
    }
}
