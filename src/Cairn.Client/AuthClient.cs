using Cairn.Client.Grpc;
using Cairn.Protocol;
using Cairn.Protocol.Etcd;

namespace Cairn.Client;

/// <summary>Calls to authentication and users/roles (<c>etcdserverpb.Auth</c>). Errors are thrown as <see cref="Cairn.Protocol.Grpc.RpcException"/> with the server's code and message.</summary>
public sealed class AuthClient
{
    private readonly GrpcCallInvoker _invoker;

    internal AuthClient(GrpcCallInvoker invoker) => _invoker = invoker;

    /// <summary>Calls <c>AuthEnable</c>.</summary>
    public Task<AuthEnableResponse> AuthEnableAsync(AuthEnableRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.AuthEnable, request, AuthEnableResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>AuthDisable</c>.</summary>
    public Task<AuthDisableResponse> AuthDisableAsync(AuthDisableRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.AuthDisable, request, AuthDisableResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>AuthStatus</c>.</summary>
    public Task<AuthStatusResponse> AuthStatusAsync(AuthStatusRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.AuthStatus, request, AuthStatusResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>Authenticate</c>.</summary>
    public Task<AuthenticateResponse> AuthenticateAsync(AuthenticateRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.Authenticate, request, AuthenticateResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>UserAdd</c>.</summary>
    public Task<AuthUserAddResponse> UserAddAsync(AuthUserAddRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.UserAdd, request, AuthUserAddResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>UserGet</c>.</summary>
    public Task<AuthUserGetResponse> UserGetAsync(AuthUserGetRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.UserGet, request, AuthUserGetResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>UserList</c>.</summary>
    public Task<AuthUserListResponse> UserListAsync(AuthUserListRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.UserList, request, AuthUserListResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>UserDelete</c>.</summary>
    public Task<AuthUserDeleteResponse> UserDeleteAsync(AuthUserDeleteRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.UserDelete, request, AuthUserDeleteResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>UserChangePassword</c>.</summary>
    public Task<AuthUserChangePasswordResponse> UserChangePasswordAsync(AuthUserChangePasswordRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.UserChangePassword, request, AuthUserChangePasswordResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>UserGrantRole</c>.</summary>
    public Task<AuthUserGrantRoleResponse> UserGrantRoleAsync(AuthUserGrantRoleRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.UserGrantRole, request, AuthUserGrantRoleResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>UserRevokeRole</c>.</summary>
    public Task<AuthUserRevokeRoleResponse> UserRevokeRoleAsync(AuthUserRevokeRoleRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.UserRevokeRole, request, AuthUserRevokeRoleResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>RoleAdd</c>.</summary>
    public Task<AuthRoleAddResponse> RoleAddAsync(AuthRoleAddRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.RoleAdd, request, AuthRoleAddResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>RoleGet</c>.</summary>
    public Task<AuthRoleGetResponse> RoleGetAsync(AuthRoleGetRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.RoleGet, request, AuthRoleGetResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>RoleList</c>.</summary>
    public Task<AuthRoleListResponse> RoleListAsync(AuthRoleListRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.RoleList, request, AuthRoleListResponse.Parser, RetryPolicy.Repeatable, options);

    /// <summary>Calls <c>RoleDelete</c>.</summary>
    public Task<AuthRoleDeleteResponse> RoleDeleteAsync(AuthRoleDeleteRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.RoleDelete, request, AuthRoleDeleteResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>RoleGrantPermission</c>.</summary>
    public Task<AuthRoleGrantPermissionResponse> RoleGrantPermissionAsync(AuthRoleGrantPermissionRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.RoleGrantPermission, request, AuthRoleGrantPermissionResponse.Parser, RetryPolicy.NonRepeatable, options);

    /// <summary>Calls <c>RoleRevokePermission</c>.</summary>
    public Task<AuthRoleRevokePermissionResponse> RoleRevokePermissionAsync(AuthRoleRevokePermissionRequest request, CallOptions options = default) =>
        _invoker.UnaryAsync(EtcdMethods.Auth.RoleRevokePermission, request, AuthRoleRevokePermissionResponse.Parser, RetryPolicy.NonRepeatable, options);
}
