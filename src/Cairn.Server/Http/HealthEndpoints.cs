using System.Text;
using Cairn.Protocol.Etcd;
using Cairn.Server.Node;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Http;

/// <summary>
/// <c>/health</c> as etcd 3.4 answers it, and <c>/livez</c> and <c>/readyz</c> as etcd 3.5.11 added them, on the
/// client port.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>How long /health and /readyz wait for the linearizable read (etcd: one second).</summary>
    public static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    private static readonly byte[] Healthy = "{\"health\":\"true\"}"u8.ToArray();
    private static readonly byte[] Unhealthy = "{\"health\":\"false\"}\n"u8.ToArray();
    private const string TextPlain = "text/plain; charset=utf-8";

    /// <summary>Maps /health, /livez and /readyz (the node comes from the services).</summary>
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        EtcdNode node = endpoints.ServiceProvider.GetRequiredService<EtcdNode>();
        endpoints.Map("/health", context => HandleHealthAsync(context, node));
        endpoints.Map("/livez", context => HandleProbeAsync(context, node, "livez", liveness: true));
        endpoints.Map("/readyz", context => HandleProbeAsync(context, node, "readyz", liveness: false));
        return endpoints;
    }

    /// <summary>
    /// etcd 3.4's checkHealth: unhealthy with any active alarm (except types named by <c>?exclude=</c>), without a
    /// leader, or when a linearizable read does not finish within a second. 200 <c>{"health":"true"}</c> (no newline)
    /// or 503 <c>{"health":"false"}</c> plus a newline, both text/plain; other methods 405.
    /// </summary>
    public static async Task HandleHealthAsync(HttpContext context, EtcdNode node)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await MethodNotAllowedAsync(context).ConfigureAwait(false);
            return;
        }

        bool healthy = !HasAlarm(node, context.Request.Query["exclude"]) && node.HasLeader && await CanReadAsync(node).ConfigureAwait(false);
        context.Response.ContentType = TextPlain;
        if (healthy)
        {
            context.Response.ContentLength = Healthy.Length;
            await context.Response.Body.WriteAsync(Healthy, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.ContentLength = Unhealthy.Length;
        await context.Response.Body.WriteAsync(Unhealthy, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>
    /// etcd 3.5.11's probes. /livez: a serializable read works (the member runs). /readyz: no CORRUPT alarm, a
    /// serializable read and a linearizable read. 200 <c>ok</c> plus a newline; 503 with one <c>[+]</c>/<c>[-]</c> line
    /// per check and "&lt;probe&gt; check failed"; <c>?verbose</c> lists the checks on success too, <c>?exclude=NAME</c>
    /// skips one.
    /// </summary>
    public static async Task HandleProbeAsync(HttpContext context, EtcdNode node, string probe, bool liveness)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            await MethodNotAllowedAsync(context).ConfigureAwait(false);
            return;
        }

        var checks = new List<(string Name, string? Failure)>();
        var excluded = context.Request.Query["exclude"];
        await AddCheckAsync(checks, excluded, "serializable_read", () => Task.FromResult(SerializableReadFailure(node))).ConfigureAwait(false);
        if (!liveness)
        {
            await AddCheckAsync(checks, excluded, "data_corruption",
                () => Task.FromResult(node.State.Alarms.IsActive(AlarmType.Corrupt) ? "the CORRUPT alarm is active" : null)).ConfigureAwait(false);
            await AddCheckAsync(checks, excluded, "linearizable_read", () => LinearizableReadFailureAsync(node)).ConfigureAwait(false);
        }

        bool failed = checks.Any(c => c.Failure is not null);
        bool verbose = context.Request.Query.ContainsKey("verbose");
        var body = new StringBuilder();
        if (failed || verbose)
        {
            foreach ((string name, string? failure) in checks)
            {
                body.Append(failure is null ? $"[+]{name} ok\n" : $"[-]{name} failed: {failure}\n");
            }

            body.Append(failed ? $"{probe} check failed\n" : $"{probe} check passed\n");
        }
        else
        {
            body.Append("ok\n");
        }

        context.Response.StatusCode = failed ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        context.Response.ContentType = TextPlain;
        await context.Response.WriteAsync(body.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task AddCheckAsync(List<(string, string?)> checks, Microsoft.Extensions.Primitives.StringValues excluded,
        string name, Func<Task<string?>> check)
    {
        if (!excluded.Contains(name))
        {
            checks.Add((name, await check().ConfigureAwait(false)));
        }
    }

    private static bool HasAlarm(EtcdNode node, Microsoft.Extensions.Primitives.StringValues excluded)
    {
        foreach (AlarmMember alarm in node.State.Alarms.List())
        {
            string name = alarm.Alarm == AlarmType.Nospace ? "NOSPACE" : alarm.Alarm == AlarmType.Corrupt ? "CORRUPT" : "NONE";
            if (!excluded.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<bool> CanReadAsync(EtcdNode node) => await LinearizableReadFailureAsync(node).ConfigureAwait(false) is null;

    private static string? SerializableReadFailure(EtcdNode node)
    {
        if (node.Failure is Exception failure)
        {
            return failure.Message;
        }

        try
        {
            node.State.Store.Range(new RangeRequest { Key = Google.Protobuf.ByteString.CopyFromUtf8("health"), Serializable = true });
            return null;
        }
        catch (Exception error) when (error is ObjectDisposedException or Cairn.Storage.EtcdException)
        {
            return error.Message;
        }
    }

    private static async Task<string?> LinearizableReadFailureAsync(EtcdNode node)
    {
        if (!node.HasLeader)
        {
            return NodeErrors.NoLeader.Message;
        }

        try
        {
            using var timeout = new CancellationTokenSource(ReadTimeout);
            await node.ReadBarrierAsync(timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (OperationCanceledException)
        {
            return NodeErrors.Timeout.Message;
        }
        catch (Cairn.Protocol.Grpc.RpcException error)
        {
            return error.Message;
        }
    }

    private static Task MethodNotAllowedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
        context.Response.Headers.Allow = HttpMethods.Get;
        context.Response.Headers["X-Content-Type-Options"] = "nosniff";
        context.Response.ContentType = TextPlain;
        return context.Response.WriteAsync("Method Not Allowed\n", context.RequestAborted);
    }
}
