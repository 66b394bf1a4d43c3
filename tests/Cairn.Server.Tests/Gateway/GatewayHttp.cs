using System.Net;
using System.Text;

namespace Cairn.Server.Tests.Gateway;

/// <summary>Plain HTTP/1.1 requests to the gateway, as curl sends them.</summary>
internal static class GatewayHttp
{
    public static async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> PostAsync(HttpClient http, string path, string? body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        }

        HttpResponseMessage response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Opens a streaming POST and returns a reader over its response lines.</summary>
    public static async Task<(HttpResponseMessage Response, StreamReader Lines)> OpenStreamAsync(HttpClient http, string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var lines = new StreamReader(await response.Content.ReadAsStreamAsync());
        return (response, lines);
    }

    public static async Task<string> NextLineAsync(StreamReader lines, double seconds = 10)
    {
        string? line = await lines.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(seconds));
        Assert.NotNull(line);
        return line!;
    }
}
