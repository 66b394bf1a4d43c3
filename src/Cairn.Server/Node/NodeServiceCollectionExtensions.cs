using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Node;

/// <summary>Registers the local member for the host's services (gRPC services, gateway, health, metrics).</summary>
public static class NodeServiceCollectionExtensions
{
    /// <summary>Makes <paramref name="node"/> available as <see cref="EtcdNode"/> and <see cref="IEtcdNode"/>.</summary>
    public static IServiceCollection AddCairnNode(this IServiceCollection services, EtcdNode node)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(node);
        services.AddSingleton(node);
        services.AddSingleton<IEtcdNode>(node);
        return services;
    }
}
