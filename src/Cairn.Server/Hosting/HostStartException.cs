using System.Net.Sockets;

namespace Cairn.Server.Hosting;

/// <summary>The server could not start (a listener could not bind, a TLS file could not be loaded); the message says what to do.</summary>
public sealed class HostStartException : Exception
{
    /// <summary>Creates the exception with a complete, user-facing message.</summary>
    public HostStartException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>Explains a Kestrel bind failure: which address (Kestrel's message names it, else the URLs tried), why, and what to change.</summary>
    public static HostStartException FromBindFailure(Exception exception, IReadOnlyList<Uri> attemptedUrls)
    {
        SocketError? error = FindSocketError(exception);
        string hint = error switch
        {
            SocketError.AddressAlreadyInUse => "another process (etcd? another cairn?) already listens there; stop it or change client.listen_urls",
            SocketError.AddressNotAvailable => "that IP address is not on this machine; use one of its addresses, 127.0.0.1, or 0.0.0.0",
            SocketError.AccessDenied => "ports below 1024 need privileges; use a higher port",
            _ => "check client.listen_urls",
        };
        string detail = exception switch
        {
            SocketException => $"cannot listen on {(attemptedUrls.Count == 1 ? "" : "one of ")}{string.Join(",", attemptedUrls.Select(u => u.OriginalString))}: {exception.Message}",
            { InnerException: { } inner } when !exception.Message.Contains(inner.Message, StringComparison.OrdinalIgnoreCase) =>
                $"{exception.Message.TrimEnd('.')} ({inner.Message})",
            _ => exception.Message.TrimEnd('.'),
        };
        return new HostStartException($"{detail}: {hint}", exception);
    }

    private static SocketError? FindSocketError(Exception exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socketException)
            {
                return socketException.SocketErrorCode;
            }
        }
        return exception.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) ? SocketError.AddressAlreadyInUse : null;
    }
}
