namespace Cairn.Raft.Tests.Interaction;

/// <summary>Runs every testdata/*.txt transcript; see <see cref="Transcript"/> for the format and the rewrite switch.</summary>
public sealed class TranscriptTests
{
    public static TheoryData<string> Files()
    {
        var files = new TheoryData<string>();
        foreach (string path in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "testdata"), "*.txt").Order())
        {
            files.Add(Path.GetFileName(path));
        }

        return files;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Transcript_matches(string file)
    {
        var transcript = Transcript.Parse(Path.Combine(AppContext.BaseDirectory, "testdata", file));
        var env = new InteractionEnv();
        var outputs = new List<string>();
        var mismatches = new List<string>();
        foreach (Transcript.Block block in transcript.Blocks)
        {
            string actual = env.Handle(block.Command);
            outputs.Add(actual);
            if (actual != block.Expected)
            {
                mismatches.Add($"{file}:{block.Line}: {block.Command}\n--- expected\n{block.Expected}--- actual\n{actual}");
            }
        }

        if (Transcript.RewriteRequested)
        {
            File.WriteAllText(Path.Combine(Transcript.SourceTestDataDirectory(), file), Transcript.Render(transcript, outputs));
            return;
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches.Take(3)) + "\n(set RAFT_REWRITE=1 to accept the new output after reviewing it)");
    }
}
