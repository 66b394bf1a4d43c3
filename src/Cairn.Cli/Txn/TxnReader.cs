using System.Text;
using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Txn;

/// <summary>
/// Reads a transaction from text the way <c>etcdctl txn</c> does: compares, then success operations, then failure
/// operations, each list ended by an empty line. Input that ends before the third empty line is an error ("EOF",
/// exit code 3), as in etcdctl. With <c>-i</c> each list is preceded by a prompt on stdout.
/// </summary>
public sealed class TxnReader
{
    /// <summary>The longest input line accepted, so a runaway stdin cannot exhaust memory.</summary>
    public const int MaxLineBytes = 4 * 1024 * 1024;

    private readonly Stream input;
    private readonly Action<string>? prompt;

    /// <summary>Creates a reader of <paramref name="input"/>; <paramref name="prompt"/> prints the interactive prompts.</summary>
    public TxnReader(Stream input, Action<string>? prompt)
    {
        this.input = input;
        this.prompt = prompt;
    }

    /// <summary>Reads the three lists and returns the request.</summary>
    public TxnRequest Read()
    {
        var request = new TxnRequest();
        prompt?.Invoke("compares:");
        foreach (string line in ReadList())
        {
            request.Compare.Add(CompareParser.Parse(line));
        }
        prompt?.Invoke("success requests (get, put, del):");
        foreach (string line in ReadList())
        {
            request.Success.Add(OpParser.Parse(line));
        }
        prompt?.Invoke("failure requests (get, put, del):");
        foreach (string line in ReadList())
        {
            request.Failure.Add(OpParser.Parse(line));
        }
        return request;
    }

    // Each line is parsed as soon as it is read, so interactive mode reports a bad line right away.
    private IEnumerable<string> ReadList()
    {
        while (true)
        {
            string line = ReadLine().Trim();
            if (line.Length == 0)
            {
                yield break;
            }
            yield return line;
        }
    }

    // Reads up to and including '\n' byte by byte, so nothing after the transaction is consumed from stdin.
    private string ReadLine()
    {
        var bytes = new List<byte>();
        while (true)
        {
            int next = input.ReadByte();
            if (next < 0)
            {
                throw CliException.InvalidInput("EOF");
            }
            if (next == '\n')
            {
                return Encoding.UTF8.GetString(bytes.ToArray());
            }
            if (bytes.Count >= MaxLineBytes)
            {
                throw CliException.InvalidInput($"txn input line longer than {MaxLineBytes} bytes");
            }
            bytes.Add((byte)next);
        }
    }
}
