using Cairn.Configuration.Schema.Types;

namespace Cairn.Configuration.Schema;

/// <summary>The named choices of enum-like settings (their configuration spellings).</summary>
internal static class ConfigChoices
{
    public static EnumSetting<ClusterState> ClusterStates { get; } = new(("new", ClusterState.New), ("existing", ClusterState.Existing));

    public static EnumSetting<AutoCompactionMode> CompactionModes { get; } =
        new(("periodic", AutoCompactionMode.Periodic), ("revision", AutoCompactionMode.Revision));

    public static EnumSetting<AuthTokenType> AuthTokens { get; } = new(("simple", AuthTokenType.Simple), ("jwt", AuthTokenType.Jwt));

    public static EnumSetting<LogSeverity> LogLevels { get; } =
        new(("debug", LogSeverity.Debug), ("info", LogSeverity.Info), ("warn", LogSeverity.Warn), ("error", LogSeverity.Error));

    public static EnumSetting<LogFormat> LogFormats { get; } = new(("json", LogFormat.Json), ("text", LogFormat.Text));

    public static EnumSetting<LogOutput> LogOutputs { get; } = new(("stdout", LogOutput.Stdout), ("stderr", LogOutput.Stderr));

    /// <summary>JWT algorithms etcd accepts with key files (RSA, RSA-PSS and ECDSA).</summary>
    public static StringSetting JwtSignMethods { get; } = new(
        "one of RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512",
        method => method is "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" or "ES256" or "ES384" or "ES512"
            ? null
            : $"unknown JWT sign method \"{method}\" (expected RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384 or ES512)");
}
