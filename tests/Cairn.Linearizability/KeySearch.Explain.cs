using System.Text;

namespace Cairn.Linearizability;

/// <summary>Violation reports: the longest linearizable prefix found and why nothing can extend it.</summary>
internal sealed partial class KeySearch
{
    private const int PrefixTailShown = 6;

    private string Explain()
    {
        var text = new StringBuilder();
        text.AppendLine($"key {key}: NOT linearizable. The best order found linearizes {Math.Max(0, deepestRequired)} of "
            + $"{requiredCount} required operations; its last steps:");
        for (int i = Math.Max(0, deepestPath.Count - PrefixTailShown); i < deepestPath.Count; i++)
        {
            text.AppendLine("    " + entries[deepestPath[i]].Source);
        }

        SearchConfiguration configuration = deepestConfiguration
            ?? new SearchConfiguration(new ulong[(entries.Length + 63) / 64], KeyState.Initial);
        text.AppendLine($"  state then: {DescribeState(configuration.State)}; no operation can come next:");
        foreach (int index in Candidates(configuration))
        {
            string? reason = KeyModel.Step(entries[index], configuration.State, out _);
            text.AppendLine($"    {entries[index].Source}: {reason ?? "applies, but every continuation dead-ends"}");
        }

        int blocker = EarliestReturningUnlinearized(configuration);
        if (blocker >= 0)
        {
            text.AppendLine($"  (nothing invoked after {entries[blocker].Source} can come before it)");
        }

        return text.ToString().TrimEnd();
    }

    private int EarliestReturningUnlinearized(SearchConfiguration configuration)
    {
        int best = -1;
        for (int i = 0; i < entries.Length; i++)
        {
            if (!configuration.IsSet(i) && entries[i].Required
                && (best < 0 || entries[i].ReturnTicks < entries[best].ReturnTicks))
            {
                best = i;
            }
        }

        return best;
    }

    private string DescribeState(KeyState state)
    {
        string described = KeyModel.Describe(state);
        return state.Exists && state.ValueId >= 0 && state.ValueId < valueNames.Length
            ? described.Replace($"#{state.ValueId}", valueNames[state.ValueId], StringComparison.Ordinal)
            : described;
    }
}
