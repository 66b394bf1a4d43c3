using System.Text;
using Cairn.Protocol;
using Microsoft.AspNetCore.Http;

namespace Cairn.Server.Hosting;

/// <summary><c>GET /version</c>: the versions etcd reports, byte for byte in etcd's format.</summary>
internal static class VersionEndpoint
{
    public const string Path = "/version";

    /// <summary>The body, built once: <c>{"etcdserver":"3.4.x","etcdcluster":"3.4.0"}</c> without a newline, as etcd sends it.</summary>
    public static readonly byte[] Body = Encoding.UTF8.GetBytes(
        $"{{\"etcdserver\":\"{EtcdCompatibility.ServerVersion}\",\"etcdcluster\":\"{EtcdCompatibility.ClusterVersion}\"}}");

    public static Task HandleAsync(HttpContext context)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = Body.Length;
        return context.Response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
    }
}
