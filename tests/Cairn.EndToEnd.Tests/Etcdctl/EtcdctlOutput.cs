using System.Text;
using System.Text.RegularExpressions;
using Cairn.Testing;

namespace Cairn.EndToEnd.Tests.EtcdctlVerbs;

/// <summary>
/// Makes etcdctl output from two different servers comparable: values that legitimately differ between any two
/// etcd clusters (cluster and member IDs, lease IDs, raft term and index, database size, timings, client log lines
/// with random target names) are replaced by fixed placeholders; everything else is kept byte for byte.
/// </summary>
internal static partial class EtcdctlOutput
{
    /// <summary>Exit code, stdout and stderr as one normalized block, for Assert.Equal between servers.</summary>
    public static string Normalize(ProcessResult result, string endpoint, IEnumerable<string>? knownIds = null)
    {
        var text = new StringBuilder();
        text.Append("exit=").Append(result.ExitCode).Append('\n');
        text.Append("stdout:\n").Append(NormalizeText(result.Stdout, endpoint));
        text.Append("stderr:\n").Append(NormalizeText(result.Stderr, endpoint));
        foreach (string id in knownIds ?? [])
        {
            // Hex IDs are printed without leading zeros, so the 16-digit pattern does not catch every one.
            text.Replace(id, "HEXID");
        }

        return text.ToString();
    }

    /// <summary>Normalizes one stream of etcdctl output.</summary>
    public static string NormalizeText(string text, string endpoint)
    {
        var kept = new StringBuilder();
        foreach (string line in text.Split('\n'))
        {
            // grpc-go's retry interceptor logs each failed attempt with a random client target: not part of the answer.
            if (line.StartsWith("{\"level\":", StringComparison.Ordinal))
            {
                continue;
            }

            kept.Append(line).Append('\n');
        }

        string normalized = kept.ToString().Replace(endpoint, "ENDPOINT", StringComparison.Ordinal);
        normalized = JsonId().Replace(normalized, "\"$1\":ID");
        normalized = JsonSize().Replace(normalized, "\"$1\":SIZE");
        normalized = FieldsId().Replace(normalized, "\"$1\" : ID");
        normalized = AlarmMember().Replace(normalized, "memberID:ID");
        normalized = HexId().Replace(normalized, "HEXID");
        normalized = Took().Replace(normalized, "took = DURATION");
        normalized = Remaining().Replace(normalized, "remaining(Ns)");
        // etcd lists a lease's keys from a Go map, so in no fixed order.
        normalized = AttachedKeys().Replace(normalized,
            match => $"attached keys([{string.Join(' ', match.Groups[1].Value.Split(' ').Order(StringComparer.Ordinal))}])");
        normalized = JsonTook().Replace(normalized, "\"took\":\"DURATION\"");
        normalized = Version34().Replace(normalized, "3.4.x");
        normalized = JsonLease().Replace(normalized, "\"lease\":LEASE");
        normalized = FieldsLease().Replace(normalized, "\"Lease\" : LEASE");
        return normalized;
    }

    [GeneratedRegex("\"(cluster_id|member_id|raft_term|raft_index|raftTerm|raftIndex|raftAppliedIndex|leader|ID|id|hash)\":\"?[0-9]+\"?")]
    private static partial Regex JsonId();

    [GeneratedRegex("\"(dbSize|dbSizeInUse|db_size|db_size_in_use)\":\"?[0-9]+\"?")]
    private static partial Regex JsonSize();

    [GeneratedRegex("\"(ClusterID|MemberID|RaftTerm|RaftIndex|Leader|ID|Hash)\" : [0-9]+")]
    private static partial Regex FieldsId();

    [GeneratedRegex("memberID:[0-9]+")]
    private static partial Regex AlarmMember();

    // Lease and member IDs in hex, printed without leading zeros; 12 or more digits, so short keys stay visible.
    [GeneratedRegex("\\b[0-9a-f]{12,16}\\b")]
    private static partial Regex HexId();

    [GeneratedRegex("attached keys\\(\\[([^\\]]*)\\]\\)")]
    private static partial Regex AttachedKeys();

    [GeneratedRegex("took = [0-9.]+[µmn]?s")]
    private static partial Regex Took();

    // The remaining TTL of a live lease depends on when each server was asked.
    [GeneratedRegex("remaining\\([0-9]+s\\)")]
    private static partial Regex Remaining();

    [GeneratedRegex("\"took\":\"[0-9.]+[µmn]?s\"")]
    private static partial Regex JsonTook();

    // Cairn reports a later 3.4 patch release than Debian's etcd on purpose (README, "Differences from etcd").
    [GeneratedRegex("\\b3\\.4\\.[0-9]+\\b")]
    private static partial Regex Version34();

    // A lease ID is chosen by each server; 0 (no lease) stays visible.
    [GeneratedRegex("\"lease\":[1-9][0-9]*")]
    private static partial Regex JsonLease();

    [GeneratedRegex("\"Lease\" : [1-9][0-9]*")]
    private static partial Regex FieldsLease();
}
