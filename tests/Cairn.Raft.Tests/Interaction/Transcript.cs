using System.Runtime.CompilerServices;
using System.Text;

namespace Cairn.Raft.Tests.Interaction;

/// <summary>
/// A datadriven transcript in the style of etcd-io/raft's testdata: blocks of <c>command args</c>, a <c>----</c>
/// line, and the expected output up to a blank line. Lines starting with '#' are comments.
/// Set RAFT_REWRITE=1 to rewrite the files with the actual output — only after understanding why it changed.
/// </summary>
internal sealed class Transcript
{
    private readonly List<Block> blocks = [];

    private Transcript(string path) => Path = path;

    public string Path { get; }

    public IReadOnlyList<Block> Blocks => blocks;

    public static bool RewriteRequested => Environment.GetEnvironmentVariable("RAFT_REWRITE") == "1";

    /// <summary>The testdata folder in the source tree (for rewriting) — resolved from this file's location.</summary>
    public static string SourceTestDataDirectory([CallerFilePath] string thisFile = "") =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(thisFile)!)!, "testdata");

    public static Transcript Parse(string path)
    {
        var transcript = new Transcript(path);
        string[] lines = File.ReadAllLines(path);
        var comments = new List<string>();
        int i = 0;
        while (i < lines.Length)
        {
            string line = lines[i];
            if (line.Length == 0 || line.StartsWith('#'))
            {
                comments.Add(line);
                i++;
                continue;
            }

            int commandLine = i + 1;
            if (i + 1 >= lines.Length || lines[i + 1] != "----")
            {
                throw new FormatException($"{path}:{commandLine}: expected '----' after the command '{line}'");
            }

            i += 2;
            var expected = new StringBuilder();
            while (i < lines.Length && lines[i].Length > 0)
            {
                expected.Append(lines[i]).Append('\n');
                i++;
            }

            transcript.blocks.Add(new Block(commandLine, [.. comments], line, expected.ToString()));
            comments.Clear();
        }

        transcript.TrailingComments = [.. comments];
        return transcript;
    }

    public string[] TrailingComments { get; private set; } = [];

    public static string Render(Transcript transcript, IReadOnlyList<string> actualOutputs)
    {
        var text = new StringBuilder();
        for (int i = 0; i < transcript.Blocks.Count; i++)
        {
            Block block = transcript.Blocks[i];
            foreach (string comment in block.Comments)
            {
                text.Append(comment).Append('\n');
            }

            text.Append(block.Command).Append('\n').Append("----\n").Append(actualOutputs[i]);
        }

        foreach (string comment in transcript.TrailingComments)
        {
            text.Append(comment).Append('\n');
        }

        return text.ToString().TrimEnd('\n') + "\n";
    }

    /// <summary>One command and its expected output.</summary>
    internal sealed record Block(int Line, string[] Comments, string Command, string Expected);
}
