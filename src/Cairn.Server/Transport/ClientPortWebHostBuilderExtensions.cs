using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Transport;

/// <summary>The one entry point that makes Kestrel serve Cairn's client port.</summary>
public static class ClientPortWebHostBuilderExtensions
{
    /// <summary>
    /// Listens on every address of <paramref name="options"/>, serving gRPC (HTTP/2) and HTTP/1.1 on the same port.
    /// Cleartext: each connection is sniffed for the HTTP/2 preface (Kestrel cannot negotiate h2c on a mixed endpoint).
    /// TLS: ALPN chooses <c>h2</c> or <c>http/1.1</c>. Replaces any other Kestrel endpoint configuration.
    /// </summary>
    public static IWebHostBuilder UseCairnClientPort(this IWebHostBuilder builder, ClientPortOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (!options.UsesTls)
        {
            builder.ConfigureServices(services =>
            {
                services.AddSingleton(options);
                services.AddSingleton<SniffingTransportFactory>();
                services.AddSingleton<IConnectionListenerFactory>(provider => provider.GetRequiredService<SniffingTransportFactory>());
            });
        }

        return builder.ConfigureKestrel(kestrel => ConfigureKestrel(kestrel, options));
    }

    private static void ConfigureKestrel(KestrelServerOptions kestrel, ClientPortOptions options)
    {
        kestrel.AddServerHeader = false;
        Http2Limits http2 = kestrel.Limits.Http2;
        http2.MaxStreamsPerConnection = options.MaxConcurrentStreamsPerConnection;
        http2.InitialConnectionWindowSize = options.InitialConnectionWindowBytes;
        http2.InitialStreamWindowSize = options.InitialStreamWindowBytes;
        http2.KeepAlivePingDelay = options.KeepAlivePingDelay;
        http2.KeepAlivePingTimeout = options.KeepAlivePingTimeout;

        foreach (IPEndPoint address in options.ListenEndPoints)
        {
            if (options.UsesTls)
            {
                kestrel.Listen(address, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1AndHttp2;
                    listen.UseHttps(https =>
                    {
                        if (options.ServerCertificate is not null)
                        {
                            https.ServerCertificate = options.ServerCertificate;
                        }

                        options.ConfigureHttps?.Invoke(https);
                    });
                    listen.UseAuthorityRepair(onlyNegotiatedHttp2: true);
                });
            }
            else
            {
                kestrel.Listen(new SniffedEndPoint(address, SniffedProtocol.Http2), listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listen.UseAuthorityRepair(onlyNegotiatedHttp2: false);
                });
                kestrel.Listen(new SniffedEndPoint(address, SniffedProtocol.Http1), listen => listen.Protocols = HttpProtocols.Http1);
            }
        }
    }
}
