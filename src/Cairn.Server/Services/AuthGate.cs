using Cairn.Server.Grpc;
using Cairn.Server.Node;

namespace Cairn.Server.Services;

/// <summary>
/// Authentication of a call. Auth is not implemented yet, so it is always disabled; etcd 3.4 with auth disabled still
/// rejects a call that carries a token (it looks the token up and finds nothing) with "etcdserver: invalid auth
/// token", on the RPCs that consult the auth store (KV, LeaseGrant/Revoke, Alarm, membership changes, Hash, HashKV,
/// Snapshot, Defragment). A call without a token is fine. The auth issue replaces this with the real check.
/// </summary>
public static class AuthGate
{
    /// <summary>Throws etcd's "invalid auth token" when the call carries a token.</summary>
    public static void Check(ServerCallContext call)
    {
        if (!string.IsNullOrEmpty(call.AuthToken))
        {
            throw NodeErrors.InvalidAuthToken.ToRpcException();
        }
    }
}
