using System.Net;
using System.Net.Sockets;

namespace Cairn.Testing;

/// <summary>
/// Hands out loopback TCP ports for servers that tests start (and restart) on a port chosen in advance.
/// </summary>
/// <remarks>
/// The ports come from below the kernel's ephemeral range: a port from inside it (what binding port 0 gives) can be
/// taken as the source port of any outgoing connection while its server is down for a restart, and the restart then
/// fails with "address already in use". Below the range only another listener can take it, so a port is chosen at
/// random (parallel test processes rarely meet) and checked free by binding it.
/// </remarks>
public static class FreePort
{
    private const int LowestPort = 10_000;
    private static readonly object Gate = new();
    private static readonly HashSet<int> Handed = new();
    private static readonly (int Low, int High) Range = ChooseRange();

    /// <summary>
    /// Returns a port on 127.0.0.1 that was free a moment ago, outside the ephemeral range, and that this process has
    /// not handed out before, so parallel tests in one run never get the same port.
    /// </summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (int attempt = 0; attempt < 1000; attempt++)
            {
                int port = Random.Shared.Next(Range.Low, Range.High);
                if (!Handed.Contains(port) && IsFree(port))
                {
                    Handed.Add(port);
                    return port;
                }
            }
            throw new InvalidOperationException($"no free loopback port in {Range.Low}..{Range.High - 1} after 1000 attempts");
        }
    }

    private static bool IsFree(int port)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    // [LowestPort, start of the ephemeral range), or a fixed band if the range starts too low to leave room.
    private static (int Low, int High) ChooseRange()
    {
        int ephemeralStart = 32_768;
        try
        {
            string[] fields = File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split((char[])['\t', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
            ephemeralStart = int.Parse(fields[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
        }
        return ephemeralStart - LowestPort >= 5_000 ? (LowestPort, ephemeralStart) : (LowestPort, LowestPort + 5_000);
    }
}
