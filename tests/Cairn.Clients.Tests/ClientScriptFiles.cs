using Cairn.Testing;

namespace Cairn.Clients.Tests;

/// <summary>The client scripts under tests/clients, read from the repository.</summary>
internal static class ClientScriptFiles
{
    public static string Read(params string[] relativePath) =>
        File.ReadAllText(Path.Combine([RepositoryPaths.Root, "tests", "clients", .. relativePath]));

    public static string PathOf(params string[] relativePath) =>
        Path.Combine([RepositoryPaths.Root, "tests", "clients", .. relativePath]);

    public static int PortOf(string endpoint) => int.Parse(endpoint[(endpoint.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
}
