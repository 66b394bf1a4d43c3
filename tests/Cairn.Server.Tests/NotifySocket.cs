using System.Net.Sockets;
using System.Text;

namespace Cairn.Server.Tests;

/// <summary>A real unix datagram socket standing in for systemd's notify socket.</summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly string? filePath;

    private NotifySocket(string address, string? filePath)
    {
        Address = address;
        this.filePath = filePath;
        socket.Bind(new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address));
    }

    /// <summary>What $NOTIFY_SOCKET would hold: a path, or '@name' for the abstract namespace.</summary>
    public string Address { get; }

    public static NotifySocket InFileSystem()
    {
        string path = Path.Combine(Path.GetTempPath(), $"cairn-notify-{Guid.NewGuid():N}.sock");
        return new NotifySocket(path, path);
    }

    public static NotifySocket Abstract() => new($"@cairn-notify-{Guid.NewGuid():N}", null);

    /// <summary>The next datagram, or a failure after <paramref name="timeout"/>.</summary>
    public async Task<string> ReceiveAsync(TimeSpan? timeout = null)
    {
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        int length = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    /// <summary>Datagrams until one starts with <paramref name="prefix"/> (returned).</summary>
    public async Task<string> ReceiveUntilAsync(string prefix, TimeSpan? timeout = null)
    {
        while (true)
        {
            string message = await ReceiveAsync(timeout);
            if (message.StartsWith(prefix, StringComparison.Ordinal))
            {
                return message;
            }
        }
    }

    public void Dispose()
    {
        socket.Dispose();
        if (filePath is not null)
        {
            File.Delete(filePath);
        }
    }
}
