using System.Text;

namespace Cairn.Cli.Txn;

/// <summary>
/// Splits a txn operation line (or an interactive watch line) into arguments as etcdctl does: whitespace
/// separates them, a double-quoted argument takes Go escapes, a single-quoted one is taken literally.
/// </summary>
/// <remarks>
/// Two deliberate differences from etcdctl 3.4 (docs/CLI.md): a single-quoted argument keeps its whole content
/// (etcdctl cuts it to a wrong length), and an unterminated quote is an error (etcdctl silently drops it).
/// </remarks>
public static class LineTokenizer
{
    /// <summary>The arguments of <paramref name="line"/> as byte strings; throws <see cref="CliException"/> (exit 3) on bad quoting.</summary>
    public static List<byte[]> Split(string line)
    {
        var arguments = new List<byte[]>();
        int index = 0;
        while (true)
        {
            while (index < line.Length && IsSeparator(line[index]))
            {
                index++;
            }
            if (index >= line.Length)
            {
                return arguments;
            }
            arguments.Add(line[index] switch
            {
                '"' => ReadDoubleQuoted(line, ref index),
                '\'' => ReadSingleQuoted(line, ref index),
                _ => ReadBare(line, ref index),
            });
        }
    }

    private static byte[] ReadDoubleQuoted(string line, ref int index)
    {
        int start = index;
        if (!GoQuoted.TryRead(line, ref index, out byte[] value, out string error))
        {
            throw CliException.InvalidInput($"bad quoted argument {line[start..]} ({error})");
        }
        return value;
    }

    private static byte[] ReadSingleQuoted(string line, ref int index)
    {
        int close = line.IndexOf('\'', index + 1);
        if (close < 0)
        {
            throw CliException.InvalidInput($"unterminated single-quoted argument {line[index..]}");
        }
        byte[] value = Encoding.UTF8.GetBytes(line[(index + 1)..close]);
        index = close + 1;
        return value;
    }

    private static byte[] ReadBare(string line, ref int index)
    {
        int start = index;
        while (index < line.Length && !IsSeparator(line[index]))
        {
            index++;
        }
        return Encoding.UTF8.GetBytes(line[start..index]);
    }

    // Go regexp's \s: tab, newline, form feed, carriage return, space.
    private static bool IsSeparator(char c) => c is ' ' or '\t' or '\n' or '\f' or '\r';
}
