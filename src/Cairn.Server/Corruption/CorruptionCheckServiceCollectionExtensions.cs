using Cairn.Configuration;
using Cairn.Server.Node;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Corruption;

/// <summary>Registers the corruption check when the configuration asks for it.</summary>
public static class CorruptionCheckServiceCollectionExtensions
{
    /// <summary>Adds <see cref="CorruptionCheckService"/> when <c>cluster.initial_corrupt_check</c> or
    /// <c>cluster.corrupt_check_interval</c> is set; otherwise nothing.</summary>
    public static IServiceCollection AddCorruptionCheck(this IServiceCollection services, ClusterConfig cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        if (!cluster.InitialCorruptCheck && cluster.CorruptCheckInterval is null)
        {
            return services;
        }

        var options = new CorruptionCheckOptions(cluster.InitialCorruptCheck, cluster.CorruptCheckInterval);
        services.AddHostedService(provider => new CorruptionCheckService(provider.GetRequiredService<EtcdNode>(), options,
            provider.GetRequiredService<ILoggerFactory>().CreateLogger("Cairn.CorruptCheck")));
        return services;
    }
}
