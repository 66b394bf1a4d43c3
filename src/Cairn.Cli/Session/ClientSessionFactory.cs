using Cairn.Cli.Settings;

namespace Cairn.Cli.Session;

/// <summary>Opens <see cref="ClientSession"/>s.</summary>
public sealed class ClientSessionFactory : IEtcdSessionFactory
{
    /// <inheritdoc />
    public Task<IEtcdSession> ConnectAsync(ClientSettings settings, IReadOnlyList<string> endpoints, CancellationToken cancellation) =>
        Task.FromResult(ClientSession.Open(settings, endpoints));
}
