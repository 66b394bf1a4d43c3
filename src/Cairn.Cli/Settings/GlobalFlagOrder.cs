namespace Cairn.Cli.Settings;

/// <summary>
/// etcdctl accepts its global flags before the verb (<c>etcdctl --endpoints X get k</c>). Cairn declares them on
/// each client verb, so flags found before the verb name are moved to just after it.
/// </summary>
public static class GlobalFlagOrder
{
    // Global flags that take a value (the others are booleans and never consume the next argument).
    private static readonly HashSet<string> WithValue =
    [
        "--endpoints", "--write-out", "-w", "--dial-timeout", "--command-timeout", "--keepalive-time",
        "--keepalive-timeout", "--cacert", "--cert", "--key", "--user", "--password",
    ];

    private static readonly HashSet<string> Booleans = ["--hex", "--insecure-skip-tls-verify", "--insecure-transport", "--debug"];

    /// <summary>Returns <paramref name="args"/> with leading global flags moved after the first verb name.</summary>
    public static string[] MoveAfterVerb(string[] args)
    {
        var leading = new List<string>();
        int index = 0;
        while (index < args.Length)
        {
            string arg = args[index];
            string name = arg.Split('=', 2)[0];
            if (WithValue.Contains(name))
            {
                bool inline = arg.Contains('=');
                leading.Add(arg);
                if (!inline && index + 1 < args.Length)
                {
                    leading.Add(args[++index]);
                }
                index++;
            }
            else if (Booleans.Contains(name))
            {
                leading.Add(arg);
                index++;
            }
            else
            {
                break;
            }
        }
        if (leading.Count == 0 || index >= args.Length)
        {
            return args;
        }
        return [args[index], .. leading, .. args[(index + 1)..]];
    }
}
