using System.Buffers.Binary;
using System.Net;
using Cairn.Protocol.Etcd;
using Cairn.Testing;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;

namespace Cairn.Cli.Tests.Support;

/// <summary>
/// A gRPC server on Kestrel (cleartext HTTP/2) that answers stock etcdctl from an <see cref="EtcdScript"/>. It lets
/// the differential tests show etcdctl any response, including ones a real single-node etcd never produces
/// (learners, alarms, wrapped error lists, binary keys), and records the requests etcdctl sends.
/// </summary>
public sealed class FakeEtcdServer : IAsyncDisposable
{
    /// <summary>How long a watch cancel waits behind the events before it.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromMilliseconds(500);

    private readonly WebApplication app;

    private FakeEtcdServer(WebApplication app, int port)
    {
        this.app = app;
        Endpoint = $"127.0.0.1:{port}";
    }

    /// <summary>host:port as etcdctl takes it.</summary>
    public string Endpoint { get; }

    /// <summary>Starts a server answering from <paramref name="script"/>.</summary>
    public static async Task<FakeEtcdServer> StartAsync(EtcdScript script)
    {
        int port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        var app = builder.Build();
        app.Run(context => HandleAsync(context, script));
        await app.StartAsync();
        return new FakeEtcdServer(app, port);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(deadline.Token);
        await app.DisposeAsync();
    }

    private static async Task HandleAsync(HttpContext context, EtcdScript script)
    {
        string method = context.Request.Path.Value!.Split('.', 2)[1];
        context.Response.ContentType = "application/grpc";
        var body = context.Request.Body;
        var cancellation = context.RequestAborted;
        try
        {
            switch (method)
            {
                case "Watch/Watch": await WatchAsync(context, script, body, cancellation); break;
                case "Lease/LeaseKeepAlive": await KeepAliveAsync(context, script, body, cancellation); break;
                case "Maintenance/Snapshot": await SnapshotAsync(context, script, body, cancellation); break;
                default: await UnaryAsync(context, script, method, body, cancellation); return;
            }
            Trailers(context, 0, "");
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ConnectionResetException)
        {
        }
    }

    private static async Task UnaryAsync(HttpContext context, EtcdScript script, string method, Stream body, CancellationToken cancellation)
    {
        byte[] request = await ReadMessageAsync(body, cancellation) ?? [];
        var reply = script.Call(method, request);
        if (reply.Message is not null)
        {
            await WriteMessageAsync(context, reply.Message, cancellation);
        }
        Trailers(context, reply.Status, reply.ErrorMessage);
    }

    private static async Task WatchAsync(HttpContext context, EtcdScript script, Stream body, CancellationToken cancellation)
    {
        await context.Response.StartAsync(cancellation);
        while (await ReadMessageAsync(body, cancellation) is { } bytes)
        {
            script.Received.Enqueue(("Watch/Watch", bytes));
            var request = WatchRequest.Parser.ParseFrom(bytes);
            if (request.CreateRequest is null || script.Watch is null)
            {
                continue;
            }
            foreach (var response in script.Watch(request.CreateRequest))
            {
                if (response.Canceled)
                {
                    // clientv3 (etcdctl) drops the events it has not yet handed to its caller once a cancel arrives:
                    // give it time to print what came before, so the transcript does not depend on how fast it runs.
                    await Task.Delay(CancelGrace, cancellation);
                }

                await WriteMessageAsync(context, response, cancellation);
            }
        }
    }

    private static async Task KeepAliveAsync(HttpContext context, EtcdScript script, Stream body, CancellationToken cancellation)
    {
        await context.Response.StartAsync(cancellation);
        while (await ReadMessageAsync(body, cancellation) is { } bytes)
        {
            script.Received.Enqueue(("Lease/LeaseKeepAlive", bytes));
            var request = LeaseKeepAliveRequest.Parser.ParseFrom(bytes);
            await WriteMessageAsync(context, script.KeepAlive!(request), cancellation);
        }
    }

    private static async Task SnapshotAsync(HttpContext context, EtcdScript script, Stream body, CancellationToken cancellation)
    {
        script.Received.Enqueue(("Maintenance/Snapshot", await ReadMessageAsync(body, cancellation) ?? []));
        foreach (var chunk in script.Snapshot!())
        {
            await WriteMessageAsync(context, chunk, cancellation);
        }
    }

    private static void Trailers(HttpContext context, int status, string message)
    {
        context.Response.AppendTrailer("grpc-status", status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (message.Length > 0)
        {
            context.Response.AppendTrailer("grpc-message", Uri.EscapeDataString(message));
        }
    }

    private static async Task<byte[]?> ReadMessageAsync(Stream body, CancellationToken cancellation)
    {
        var prefix = new byte[5];
        if (!await ReadExactlyOrEndAsync(body, prefix, cancellation))
        {
            return null;
        }
        var message = new byte[BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(1))];
        if (message.Length > 0 && !await ReadExactlyOrEndAsync(body, message, cancellation))
        {
            return null;
        }
        return message;
    }

    private static async Task<bool> ReadExactlyOrEndAsync(Stream body, byte[] buffer, CancellationToken cancellation)
    {
        int filled = 0;
        while (filled < buffer.Length)
        {
            int read = await body.ReadAsync(buffer.AsMemory(filled), cancellation);
            if (read == 0)
            {
                return false;
            }
            filled += read;
        }
        return true;
    }

    private static async Task WriteMessageAsync(HttpContext context, IMessage message, CancellationToken cancellation)
    {
        byte[] bytes = message.ToByteArray();
        var frame = new byte[5 + bytes.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)bytes.Length);
        bytes.CopyTo(frame, 5);
        await context.Response.Body.WriteAsync(frame, cancellation);
        await context.Response.Body.FlushAsync(cancellation);
    }
}
