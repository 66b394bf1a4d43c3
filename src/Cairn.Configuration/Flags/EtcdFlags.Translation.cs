using System.Globalization;
using Cairn.Configuration.Schema.Types;

namespace Cairn.Configuration.Flags;

/// <summary>The logging, proxy and experimental etcd flags, the flag kinds, and flags whose values need translating.</summary>
internal static partial class EtcdFlags
{
    private static IEnumerable<FlagDefinition> Logging()
    {
        yield return Custom("--logger", null, (value, context) =>
        {
            if (value == "capnslog")
            {
                context.Warn("--logger=capnslog is ignored: Cairn always writes structured logs (see --log-format)");
            }
            else if (value != "zap")
            {
                context.Fail($"unknown logger \"{value}\" (etcd accepts zap or capnslog; Cairn ignores both)");
            }
        });
        yield return Custom("--log-outputs", "Log output: stdout (default) or stderr", ApplyLogOutputs);
        yield return Custom("--log-level", "Log level: debug, info (default), warn or error", (value, context) =>
        {
            if (value is "panic" or "fatal")
            {
                context.Warn($"--log-level={value} is treated as error, Cairn's most severe level");
                value = "error";
            }
            context.Assign("log.level", value);
        });
        yield return Custom("--debug", null, (value, context) =>
        {
            if (IsTrue(value))
            {
                context.Assign("log.level", "debug");
            }
            else if (!IsFalse(value))
            {
                context.Fail($"expected true or false, got \"{value}\"");
            }
        }, isBoolean: true);
        yield return Ignored("--log-package-levels", "Cairn has one log level (--log-level)", IsEmpty);
    }

    private static IEnumerable<FlagDefinition> ProxyAndExperimental()
    {
        const string NoProxy = "the etcd v2 proxy is not supported";
        yield return Unsupported("--proxy", NoProxy, value => value == "off");
        yield return Unsupported("--proxy-failure-wait", NoProxy, value => value == "5000");
        yield return Unsupported("--proxy-refresh-interval", NoProxy, value => value == "30000");
        yield return Unsupported("--proxy-dial-timeout", NoProxy, value => value == "1000");
        yield return Unsupported("--proxy-write-timeout", NoProxy, value => value == "5000");
        yield return Unsupported("--proxy-read-timeout", NoProxy, value => value == "0");
        yield return Mapped("--experimental-initial-corrupt-check", "cluster.initial_corrupt_check",
            "Compare HashKV with the peers once after start; a mismatch raises the CORRUPT alarm", isBoolean: true);
        yield return Custom("--experimental-corrupt-check-time", "Interval of the leader's HashKV comparison across members (0 = off)",
            ApplyCorruptCheckTime);
        yield return Unsupported("--experimental-enable-v2v3", "the etcd v2 API is not supported", IsEmpty);
        yield return Ignored("--experimental-backend-bbolt-freelist-type", "Cairn has no bbolt backend", value => value == "array");
        yield return Unsupported("--experimental-enable-lease-checkpoint", "lease checkpointing is not implemented", IsFalse, isBoolean: true);
        yield return Ignored("--experimental-compaction-batch-limit", "Cairn has no bbolt backend", value => value == "1000");
        yield return Unsupported("--experimental-peer-skip-client-san-verification", "skipping certificate checks is not supported", IsFalse, isBoolean: true);
        yield return Custom("--experimental-watch-progress-notify-interval", "Interval of watch progress notifications (e.g. 10m)", ApplyProgressNotifyInterval);
        yield return Ignored("--experimental-warning-apply-duration", "Cairn does not log slow applies by this threshold", value => value == "100ms");
        yield return Unsupported("--force-new-cluster", "recover a lost cluster with `cairn snapshot restore` instead", IsFalse, isBoolean: true);
        yield return Unsupported("--config-file", "Cairn reads TOML: use --config FILE (see configs/cairn.toml)", _ => false);
    }

    private static FlagDefinition Mapped(string name, string key, string help, bool isBoolean = false) =>
        new(name, help, true, isBoolean, (value, context) => context.Assign(key, value));

    private static FlagDefinition Custom(string name, string? help, Action<string, FlagContext> apply, bool isBoolean = false) =>
        new(name, help, true, isBoolean, apply);

    /// <summary>Accepted for compatibility; warns unless <paramref name="isSilent"/> (etcd's default, or Cairn's fixed behaviour).</summary>
    private static FlagDefinition Ignored(string name, string reason, Func<string, bool> isSilent, bool isBoolean = false) =>
        new(name, null, true, isBoolean, (value, context) =>
        {
            if (!isSilent(value.Trim()))
            {
                context.Warn($"{name}={value} is accepted for etcd compatibility but ignored: {reason}");
            }
        });

    /// <summary>Rejected by name unless <paramref name="isHarmless"/> (the value that asks for nothing).</summary>
    private static FlagDefinition Unsupported(string name, string reason, Func<string, bool> isHarmless, bool isBoolean = false) =>
        new(name, null, true, isBoolean, (value, context) =>
        {
            if (!isHarmless(value.Trim()))
            {
                context.Fail($"{name} is an etcd flag that Cairn does not support: {reason}; remove it");
            }
        });

    private static bool IsTrue(string value) => BoolSetting.Instance.TryParseText(value.Trim(), out bool parsed, out _) && parsed;

    private static bool IsFalse(string value) => BoolSetting.Instance.TryParseText(value.Trim(), out bool parsed, out _) && !parsed;

    private static bool IsEmpty(string value) => value.Trim().Length == 0;

    /// <summary>etcd's <c>--auth-token</c>: "simple", or "jwt" with comma-separated options.</summary>
    private static void ApplyAuthToken(string value, FlagContext context)
    {
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        context.Assign("auth.token", parts[0]);
        foreach (string option in parts.Skip(1))
        {
            int equals = option.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? option[..equals] : option;
            string optionValue = equals > 0 ? option[(equals + 1)..] : "";
            switch (name)
            {
                case "pub-key": context.Assign("auth.jwt_public_key_file", optionValue); break;
                case "priv-key": context.Assign("auth.jwt_private_key_file", optionValue); break;
                case "sign-method": context.Assign("auth.jwt_sign_method", optionValue); break;
                case "ttl" when ConfigDurations.TryParse(optionValue, out TimeSpan ttl) && ttl.TotalSeconds >= 1:
                    context.Assign("auth.token_ttl_seconds", ((long)ttl.TotalSeconds).ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    context.Fail($"unknown --auth-token option \"{option}\" (expected pub-key=FILE, priv-key=FILE, sign-method=ALG or ttl=DURATION)", "auth.token");
                    break;
            }
        }
    }

    private static void ApplyLogOutputs(string value, FlagContext context)
    {
        switch (value.Trim())
        {
            case "default":
                break;
            case "stdout" or "systemd/journal":
                context.Assign("log.output", "stdout");
                break;
            case "stderr":
                context.Assign("log.output", "stderr");
                break;
            default:
                context.Fail($"log output \"{value}\" is not supported: Cairn logs to stdout or stderr (journald collects either under systemd)", "log.output");
                break;
        }
    }

    private static void ApplyCorruptCheckTime(string value, FlagContext context)
    {
        // Go's duration parser, like etcd, takes a bare "0".
        if (value.Trim() is "" or "0")
        {
            context.Assign("cluster.corrupt_check_interval", "");
            return;
        }

        if (!ConfigDurations.TryParse(value, out TimeSpan interval))
        {
            context.Fail($"expected {ConfigDurations.Help}, got \"{value}\"", "cluster.corrupt_check_interval");
            return;
        }

        // etcd's default is 0s, meaning off; the setting spells off as "".
        context.Assign("cluster.corrupt_check_interval", interval == TimeSpan.Zero ? "" : value);
    }

    private static void ApplyProgressNotifyInterval(string value, FlagContext context)
    {
        if (!ConfigDurations.TryParse(value, out TimeSpan interval))
        {
            context.Fail($"expected {ConfigDurations.Help}, got \"{value}\"", "watch.progress_notify_interval_ms");
            return;
        }
        context.Assign("watch.progress_notify_interval_ms", ((long)interval.TotalMilliseconds).ToString(CultureInfo.InvariantCulture));
    }
}
