using System.Net;
using System.Net.Sockets;

namespace Cairn.Protocol.Tests.Tools;

internal static class FreePort
{
    /// <summary>A loopback port that was free a moment ago (for tools that need the port before they start).</summary>
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
