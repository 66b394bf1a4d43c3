using System.IO.Pipelines;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Cairn.Server.Transport;

/// <summary>Puts <see cref="AuthorityRepairingPipeReader"/> under Kestrel's HTTP/2 on a client listener.</summary>
internal static class AuthorityRepairMiddleware
{
    /// <summary>On a cleartext HTTP/2-only listener: every connection. Call after <c>UseHttps</c> on a TLS listener:
    /// the connections whose ALPN chose h2.</summary>
    public static ListenOptions UseAuthorityRepair(this ListenOptions listen, bool onlyNegotiatedHttp2)
    {
        listen.Use(next => connection =>
        {
            if (!onlyNegotiatedHttp2 || NegotiatedHttp2(connection))
            {
                connection.Transport = new RepairingPipe(connection.Transport);
            }

            return next(connection);
        });
        return listen;
    }

    private static bool NegotiatedHttp2(ConnectionContext connection) =>
        connection.Features.Get<ITlsApplicationProtocolFeature>()?.ApplicationProtocol.Span.SequenceEqual("h2"u8) == true;

    private sealed class RepairingPipe(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input { get; } = new AuthorityRepairingPipeReader(inner.Input);

        public PipeWriter Output => inner.Output;
    }
}
