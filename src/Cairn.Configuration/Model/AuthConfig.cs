namespace Cairn.Configuration;

/// <summary>Authentication tokens and password hashing (used once auth is enabled with <c>cairn auth enable</c>).</summary>
public sealed record AuthConfig
{
    /// <summary>Token kind handed out by Authenticate.</summary>
    public AuthTokenType Token { get; init; } = AuthTokenType.Simple;

    /// <summary>Token lifetime in seconds.</summary>
    public int TokenTtlSeconds { get; init; } = 300;

    /// <summary>bcrypt cost for password hashes (4-31).</summary>
    public int BcryptCost { get; init; } = 10;

    /// <summary>PEM public key that verifies JWT tokens (jwt only).</summary>
    public string JwtPublicKeyFile { get; init; } = "";

    /// <summary>PEM private key that signs JWT tokens (jwt only).</summary>
    public string JwtPrivateKeyFile { get; init; } = "";

    /// <summary>JWT signing algorithm, e.g. RS256 or ES256 (jwt only).</summary>
    public string JwtSignMethod { get; init; } = "RS256";
}

/// <summary>etcd's <c>--auth-token</c> kinds.</summary>
public enum AuthTokenType
{
    /// <summary>Opaque random tokens kept in server memory.</summary>
    Simple,

    /// <summary>Signed JSON web tokens.</summary>
    Jwt,
}
