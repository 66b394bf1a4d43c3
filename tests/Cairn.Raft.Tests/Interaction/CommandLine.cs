namespace Cairn.Raft.Tests.Interaction;

/// <summary>A parsed transcript command: <c>name positional... key=value...</c>; lists are written <c>(1,2,3)</c>.</summary>
internal sealed class CommandLine
{
    private readonly Dictionary<string, string> options = [];
    private readonly List<string> positional = [];

    public CommandLine(string line)
    {
        string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Name = words[0];
        foreach (string word in words.Skip(1))
        {
            int equals = word.IndexOf('=');
            if (equals > 0)
            {
                options[word[..equals]] = word[(equals + 1)..];
            }
            else
            {
                positional.Add(word);
            }
        }
    }

    public string Name { get; }

    public IReadOnlyList<string> Positional => positional;

    public IEnumerable<ulong> Ids => positional.Select(ulong.Parse);

    public ulong Id(int position = 0) => ulong.Parse(positional[position]);

    public string? Option(string key) => options.GetValueOrDefault(key);

    public ulong[] IdList(string key) => options.TryGetValue(key, out string? value)
        ? value.Trim('(', ')').Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ulong.Parse).ToArray()
        : [];

    public bool Flag(string key, bool defaultValue) => options.TryGetValue(key, out string? value) ? bool.Parse(value) : defaultValue;

    public int Int(string key, int defaultValue) => options.TryGetValue(key, out string? value) ? int.Parse(value) : defaultValue;
}
