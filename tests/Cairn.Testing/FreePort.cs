using System.Net;
using System.Net.Sockets;

namespace Cairn.Testing;

/// <summary>Hands out loopback TCP ports that were free a moment ago.</summary>
public static class FreePort
{
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = new();

    /// <summary>
    /// Returns a port on 127.0.0.1 that the kernel just reported free and that this process has not handed out
    /// before, so parallel tests in one run never get the same port.
    /// </summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (int attempt = 0; attempt < 100; attempt++)
            {
                using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                int port = ((IPEndPoint)listener.LocalEndPoint!).Port;
                if (Handed.Add(port))
                {
                    return port;
                }
            }
            throw new InvalidOperationException("no free loopback port after 100 attempts");
        }
    }
}
