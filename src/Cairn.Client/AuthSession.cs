using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;
using Cairn.Protocol.Grpc;

namespace Cairn.Client;

/// <summary>
/// The client's etcd auth token, as clientv3 manages it: authenticate before the first call, send the token as
/// <c>token</c> metadata, re-authenticate once when the server rejects it, and carry on without a token when the
/// server says authentication is not enabled.
/// </summary>
internal sealed class AuthSession(GrpcCallInvoker invoker, string username, string password)
{
    private const string AuthNotEnabled = "etcdserver: authentication is not enabled";
    private readonly SemaphoreSlim _authenticating = new(1, 1);
    private volatile string? _token;
    private volatile bool _authenticated;

    /// <summary>The current token, or null (not authenticated yet, or auth is disabled on the server).</summary>
    public string? Token => _token;

    /// <summary>True for the errors after which clientv3 authenticates again and retries.</summary>
    public bool IsStaleTokenError(RpcException error) =>
        error.Message is "etcdserver: invalid auth token" or "etcdserver: revision of auth store is old" or "etcdserver: user name is empty";

    public Task EnsureAuthenticatedAsync(CallOptions options) => _authenticated ? Task.CompletedTask : AuthenticateAsync(options);

    /// <summary>Calls Authenticate (once, even when many calls need a token at the same time).</summary>
    public async Task AuthenticateAsync(CallOptions options)
    {
        string? staleToken = _token;
        bool wasAuthenticated = _authenticated;
        await _authenticating.WaitAsync(options.CancellationToken).ConfigureAwait(false);
        try
        {
            if (_authenticated != wasAuthenticated || !ReferenceEquals(_token, staleToken))
            {
                return; // another call refreshed it meanwhile
            }

            _token = await RequestTokenAsync(options).ConfigureAwait(false);
            _authenticated = true;
        }
        finally
        {
            _authenticating.Release();
        }
    }

    private async Task<string?> RequestTokenAsync(CallOptions options)
    {
        var request = new AuthenticateRequest { Name = username, Password = password };
        try
        {
            AuthenticateResponse response = await invoker.UnauthenticatedUnaryAsync(
                EtcdMethods.Auth.Authenticate, request, AuthenticateResponse.Parser, RetryPolicy.Repeatable, options).ConfigureAwait(false);
            return response.Token;
        }
        catch (RpcException error) when (error.Message == AuthNotEnabled)
        {
            return null;
        }
    }
}
