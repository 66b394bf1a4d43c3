using System.Text;

namespace Cairn.Cli.Settings;

/// <summary>Asks for the password when --user names a user but no password was given, as etcdctl does.</summary>
internal static class PasswordPrompt
{
    /// <summary>Longest password line read, so a runaway input cannot exhaust memory.</summary>
    private const int MaxPasswordBytes = 4096;

    /// <summary>Returns <paramref name="settings"/> with the password filled in from a prompt when it is missing.</summary>
    public static ClientSettings Complete(ClientSettings settings, CliConsole console)
    {
        if (settings.User is null || settings.Password is not null)
        {
            return settings;
        }
        console.Error.Write("Password: ");
        string password = Console.IsInputRedirected ? ReadLine(console.Input) : ReadHidden();
        console.Error.WriteLine();
        return settings with { Password = password };
    }

    private static string ReadHidden()
    {
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                return password.ToString();
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                password.Length = Math.Max(0, password.Length - 1);
            }
            else if (password.Length < MaxPasswordBytes)
            {
                password.Append(key.KeyChar);
            }
        }
    }

    private static string ReadLine(Stream input)
    {
        var bytes = new List<byte>();
        int next;
        while ((next = input.ReadByte()) >= 0 && next != '\n' && bytes.Count < MaxPasswordBytes)
        {
            bytes.Add((byte)next);
        }
        return Encoding.UTF8.GetString(bytes.ToArray()).TrimEnd('\r');
    }
}
