using System.Text.RegularExpressions;

namespace Cairn.Clients.Tests;

/// <summary>Normalizing what a client printed against cairn and against real etcd, so only real differences remain.</summary>
internal static partial class Differential
{
    /// <summary>
    /// Replaces what legitimately differs between two healthy single-node servers: member and cluster IDs, the member
    /// name and URLs, the raft term, the server version string, a 30 s lease TTL that ticked down while the machine was busy,
    /// and the header revision of a watch's "created" response: etcd 3.4 behind its gateway was seen (once, on a loaded
    /// machine) to report the revision of writes made after the created line had arrived (13 where Cairn, and etcd's
    /// usual runs, said 10); the events that follow are compared exactly.
    /// </summary>
    public static string Normalize(string output)
    {
        string text = IdField().Replace(output, "\"$1\":\"<id>\"");
        text = MemberIdField().Replace(text, "\"ID\":\"<member-id>\"");
        text = NameField().Replace(text, "\"name\":\"<name>\"");
        text = UrlsField().Replace(text, "\"$1\":[<urls>]");
        text = TermField().Replace(text, "\"raft_term\":\"<term>\"");
        text = VersionField().Replace(text, "\"etcdserver\":\"3.4.x\"");
        text = TickedTtl().Replace(text, "\"TTL\":\"30\"");
        text = CreatedRevision().Replace(text, "\"revision\":\"<at-creation>\",\"raft_term\":\"<term>\"},\"created\":true");
        return text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();
    }

    /// <summary>Asserts that the two outputs are equal line by line, naming the first line that differs.</summary>
    public static void AssertSameLines(string etcdOutput, string cairnOutput, string what)
    {
        string[] expected = etcdOutput.Split('\n');
        string[] actual = cairnOutput.Split('\n');
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            if (expected[i] != actual[i])
            {
                Assert.Fail($"{what}: line {i + 1} differs\netcd:  {expected[i]}\ncairn: {actual[i]}\n\nwhole cairn output:\n{cairnOutput}");
            }
        }
        Assert.True(expected.Length == actual.Length,
            $"{what}: etcd printed {expected.Length} lines, cairn {actual.Length}\netcd:\n{etcdOutput}\ncairn:\n{cairnOutput}");
    }

    [GeneratedRegex("\"(cluster_id|member_id)\":\"\\d+\"")]
    private static partial Regex IdField();

    // Member IDs are 64-bit hashes; lease IDs the scripts choose are short, so they stay.
    [GeneratedRegex("\"ID\":\"\\d{10,}\"")]
    private static partial Regex MemberIdField();

    [GeneratedRegex("\"name\":\"[^\"]*\"")]
    private static partial Regex NameField();

    [GeneratedRegex("\"(peerURLs|clientURLs)\":\\[[^\\]]*\\]")]
    private static partial Regex UrlsField();

    [GeneratedRegex("\"raft_term\":\"\\d+\"")]
    private static partial Regex TermField();

    [GeneratedRegex("\"etcdserver\":\"3\\.4\\.\\d+\"")]
    private static partial Regex VersionField();

    [GeneratedRegex("\"revision\":\"\\d+\",\"raft_term\":\"<term>\"\\},\"created\":true")]
    private static partial Regex CreatedRevision();

    [GeneratedRegex("\"TTL\":\"2\\d\"")]
    private static partial Regex TickedTtl();
}
