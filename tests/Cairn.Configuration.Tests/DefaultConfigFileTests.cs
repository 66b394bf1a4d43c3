using Cairn.Configuration.Schema;

namespace Cairn.Configuration.Tests;

/// <summary>configs/cairn.toml is the documentation of every key and must equal the model's defaults.</summary>
public class DefaultConfigFileTests
{
    [Fact]
    public void Embedded_default_file_is_configs_cairn_toml()
    {
        Assert.Equal(File.ReadAllText(TestFiles.Config("cairn.toml")), DefaultConfigFile.Text);
    }

    [Fact]
    public void Default_file_sets_every_key_to_the_model_default()
    {
        ConfigLoadResult result = ConfigLoader.LoadText(DefaultConfigFile.Text, "cairn.toml");

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
        foreach (string key in ConfigLoader.Keys)
        {
            Assert.True(result.Origins[key].Kind == ConfigOriginKind.File, $"{key} is not written in configs/cairn.toml, so it is undocumented");
            Assert.True(ConfigLoader.FormatValue(CairnConfig.Default, key) == ConfigLoader.FormatValue(result.Config!, key),
                $"{key}: configs/cairn.toml says {ConfigLoader.FormatValue(result.Config!, key)}, the model's default is {ConfigLoader.FormatValue(CairnConfig.Default, key)}");
        }
    }

    [Fact]
    public void Every_key_is_documented_with_its_environment_variable_rule_and_etcd_flag()
    {
        foreach (ConfigSetting setting in ConfigSchema.Settings.Where(s => s.Flag is not null && s.Flag.StartsWith("--", StringComparison.Ordinal)))
        {
            Assert.Contains(setting.Flag!, DefaultConfigFile.Text);
        }
        Assert.Contains("CAIRN_STORAGE_QUOTA_BACKEND_BYTES", DefaultConfigFile.Text);
    }

    [Fact]
    public void Defaults_are_a_single_node_server_on_loopback()
    {
        CairnConfig config = CairnConfig.Default;

        Assert.Equal("http://127.0.0.1:2379", ConfigUrls.Format(Assert.Single(config.Client.ListenUrls)));
        Assert.Equal("./cairn.data", config.DataDir);
        Assert.Equal(Path.Combine("./cairn.data", "wal"), config.WalDirectory);
        var member = Assert.Single(config.EffectiveInitialCluster);
        Assert.Equal("default=http://127.0.0.1:2380", member.ToString());
        Assert.Equal(64L << 20, config.Storage.WalSegmentBytes);
        Assert.Equal(2L << 30, config.Storage.QuotaBackendBytes);
        Assert.Equal(1_572_864, config.Limits.MaxRequestBytes);
        Assert.Equal(128, config.Limits.MaxTxnOps);
        Assert.Equal(10, config.Raft.ElectionTimeoutTicks);
        Assert.False(config.Storage.AutoCompactionEnabled);
    }

    [Theory]
    [InlineData("cluster-3node/node1.toml")]
    [InlineData("cluster-3node/node2.toml")]
    [InlineData("cluster-3node/node3.toml")]
    [InlineData("cairn.toml")]
    public void Shipped_configs_validate(string file)
    {
        ConfigLoadResult result = ConfigLoader.LoadFile(TestFiles.Config(file));

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Three_node_configs_describe_one_cluster_with_distinct_members()
    {
        CairnConfig[] members = Enumerable.Range(1, 3)
            .Select(i => ConfigLoader.LoadFile(TestFiles.Config($"cluster-3node/node{i}.toml")).GetConfigOrThrow())
            .ToArray();

        Assert.Equal(3, members.Select(m => m.Name).Distinct().Count());
        Assert.Equal(3, members.Select(m => m.DataDir).Distinct().Count());
        Assert.Single(members.Select(m => m.Cluster.InitialClusterToken).Distinct());
        Assert.Single(members.Select(m => string.Join(",", m.Cluster.InitialCluster)).Distinct());
        var allListeners = members.SelectMany(m => m.Client.ListenUrls.Concat(m.Peer.ListenUrls).Concat(m.Metrics.ListenUrls)).Select(u => u.Port).ToArray();
        Assert.Equal(allListeners.Length, allListeners.Distinct().Count());
        Assert.Equal(3, members[0].Cluster.InitialCluster.Count);
    }
}
