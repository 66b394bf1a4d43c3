using System.Diagnostics;

namespace Cairn.Linearizability;

/// <summary>
/// Wing &amp; Gong's linearizability search with Lowe's memoisation, for the operations on one key:
/// depth-first, at each point trying every operation that no other unlinearized operation precedes in
/// real time (an unlinearized required operation returned before it was invoked), pruning points already
/// seen. Unknown-outcome operations never bound the others (their return time is infinite) and need not be
/// linearized at all: the history is linearizable when every required operation is.
/// </summary>
internal sealed partial class KeySearch
{
    private readonly string key;
    private readonly KeyEntry[] entries;
    private readonly string[] valueNames;
    private readonly int requiredCount;
    private readonly long maxConfigurations;
    private readonly long deadlineTimestamp;

    private int deepestRequired = -1;
    private List<int> deepestPath = [];
    private SearchConfiguration? deepestConfiguration;

    public KeySearch(string key, KeyEntry[] entries, string[] valueNames, long maxConfigurations, long deadlineTimestamp)
    {
        this.key = key;
        this.entries = entries;
        this.valueNames = valueNames;
        this.maxConfigurations = maxConfigurations;
        this.deadlineTimestamp = deadlineTimestamp;
        foreach (KeyEntry entry in entries)
        {
            requiredCount += entry.Required ? 1 : 0;
        }
    }

    /// <summary>How many operations take part in the search.</summary>
    public int EntryCount => entries.Length;

    /// <summary>Configurations visited by <see cref="Run"/>.</summary>
    public long ConfigurationsVisited { get; private set; }

    private sealed class Frame(SearchConfiguration configuration, int requiredDone, int viaEntry, List<int> candidates)
    {
        public SearchConfiguration Configuration { get; } = configuration;
        public int RequiredDone { get; } = requiredDone;
        public int ViaEntry { get; } = viaEntry;
        public List<int> Candidates { get; } = candidates;
        public int Next { get; set; }
    }

    /// <summary>Searches; returns the verdict and, unless linearizable, an explanation.</summary>
    public (Verdict Verdict, string? Explanation) Run()
    {
        var visited = new VisitedConfigurations(OptionalMask());
        var root = new SearchConfiguration(new ulong[(entries.Length + 63) / 64], KeyState.Initial);
        visited.TryAdd(root);
        var stack = new Stack<Frame>();
        stack.Push(new Frame(root, 0, -1, Candidates(root)));
        while (stack.Count > 0)
        {
            Frame frame = stack.Peek();
            if (frame.RequiredDone == requiredCount)
            {
                return (Verdict.Linearizable, null);
            }

            if (frame.RequiredDone > deepestRequired)
            {
                RememberDeepest(stack, frame);
            }

            if (frame.Next >= frame.Candidates.Count)
            {
                stack.Pop();
                continue;
            }

            int index = frame.Candidates[frame.Next++];
            if (IsDominatedStep(frame.ViaEntry, index))
            {
                continue;
            }

            if (KeyModel.Step(entries[index], frame.Configuration.State, out KeyState next) is not null)
            {
                continue;
            }

            var configuration = new SearchConfiguration(frame.Configuration.With(index), next);
            if (!visited.TryAdd(configuration))
            {
                continue;
            }

            ConfigurationsVisited++;
            if (OverBudget())
            {
                return (Verdict.Unknown, $"key {key}: search budget exhausted after {ConfigurationsVisited} configurations "
                    + $"({deepestRequired} of {requiredCount} required operations linearized at best); no verdict");
            }

            int requiredDone = frame.RequiredDone + (entries[index].Required ? 1 : 0);
            stack.Push(new Frame(configuration, requiredDone, index, Candidates(configuration)));
        }

        return (Verdict.Violation, Explain());
    }

    /// <summary>
    /// An optional put right after another optional operation overwrites all of its effects; the same put
    /// without the earlier operation reaches the same value with a lower revision bound (which admits at
    /// least as much) and leaves that operation available, so this step can never be needed.
    /// </summary>
    private bool IsDominatedStep(int previousEntry, int nextEntry) =>
        previousEntry >= 0 && !entries[previousEntry].Required
        && !entries[nextEntry].Required && entries[nextEntry].Kind == OperationKind.Put;

    private ulong[] OptionalMask()
    {
        var mask = new ulong[(entries.Length + 63) / 64];
        for (int i = 0; i < entries.Length; i++)
        {
            if (!entries[i].Required)
            {
                mask[i >> 6] |= 1UL << (i & 63);
            }
        }

        return mask;
    }

    private bool OverBudget() =>
        ConfigurationsVisited > maxConfigurations
        || ((ConfigurationsVisited & 1023) == 0 && Stopwatch.GetTimestamp() > deadlineTimestamp);

    /// <summary>
    /// The entries that may come next: unlinearized, and invoked no later than the earliest return of any
    /// unlinearized required entry. Entries are sorted by invocation, so the scan stops at the first one
    /// invoked after that bound (its return, and every later entry's, is after it too).
    /// </summary>
    private List<int> Candidates(SearchConfiguration configuration)
    {
        long minReturn = long.MaxValue;
        int end = entries.Length;
        for (int i = 0; i < entries.Length; i++)
        {
            if (configuration.IsSet(i))
            {
                continue;
            }

            if (entries[i].InvokeTicks > minReturn)
            {
                end = i;
                break;
            }

            if (entries[i].Required && entries[i].ReturnTicks < minReturn)
            {
                minReturn = entries[i].ReturnTicks;
            }
        }

        // Required entries first: reaching a point without optional entries first lets the dominance
        // memo prune the same point reached with them.
        var candidates = new List<int>();
        for (int pass = 0; pass < 2; pass++)
        {
            bool wantRequired = pass == 0;
            for (int i = 0; i < end; i++)
            {
                if (!configuration.IsSet(i) && entries[i].InvokeTicks <= minReturn && entries[i].Required == wantRequired)
                {
                    candidates.Add(i);
                }
            }
        }

        return candidates;
    }

    private void RememberDeepest(Stack<Frame> stack, Frame frame)
    {
        deepestRequired = frame.RequiredDone;
        deepestConfiguration = frame.Configuration;
        deepestPath = [];
        foreach (Frame onPath in stack)
        {
            if (onPath.ViaEntry >= 0)
            {
                deepestPath.Add(onPath.ViaEntry);
            }
        }

        deepestPath.Reverse();
    }
}
