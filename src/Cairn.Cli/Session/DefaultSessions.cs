namespace Cairn.Cli.Session;

/// <summary>The session factory the cairn executable uses: Cairn.Client's gRPC client.</summary>
public static class DefaultSessions
{
    /// <summary>Connects with Cairn.Client (see <see cref="ClientSession"/>).</summary>
    public static IEtcdSessionFactory Factory { get; } = new ClientSessionFactory();
}
