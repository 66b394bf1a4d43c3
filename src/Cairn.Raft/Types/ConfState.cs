namespace Cairn.Raft;

/// <summary>The membership of the cluster: the voters (who count for quorums) and the learners (who only receive the log).</summary>
/// <remarks>Immutable. Both lists are sorted ascending and disjoint; node ids are never 0.</remarks>
public sealed class ConfState : IEquatable<ConfState>
{
    /// <summary>A configuration with no members (a node that has not joined a cluster yet).</summary>
    public static readonly ConfState Empty = new([], []);

    private readonly ulong[] voters;
    private readonly ulong[] learners;

    /// <summary>Creates a configuration; the ids are copied and sorted.</summary>
    /// <exception cref="ArgumentException">An id is 0, repeated, or both a voter and a learner.</exception>
    public ConfState(IEnumerable<ulong> voters, IEnumerable<ulong> learners)
    {
        ArgumentNullException.ThrowIfNull(voters);
        ArgumentNullException.ThrowIfNull(learners);
        this.voters = SortedUnique(voters, nameof(voters));
        this.learners = SortedUnique(learners, nameof(learners));
        foreach (ulong learner in this.learners)
        {
            if (Array.BinarySearch(this.voters, learner) >= 0)
            {
                throw new ArgumentException($"node {learner} is both a voter and a learner; a node has one role", nameof(learners));
            }
        }
    }

    /// <summary>The voting members, ascending.</summary>
    public IReadOnlyList<ulong> Voters => voters;

    /// <summary>The non-voting members, ascending.</summary>
    public IReadOnlyList<ulong> Learners => learners;

    /// <summary>True when <paramref name="nodeId"/> is a voter.</summary>
    public bool IsVoter(ulong nodeId) => Array.BinarySearch(voters, nodeId) >= 0;

    /// <summary>True when <paramref name="nodeId"/> is a learner.</summary>
    public bool IsLearner(ulong nodeId) => Array.BinarySearch(learners, nodeId) >= 0;

    /// <summary>True when <paramref name="nodeId"/> is a voter or a learner.</summary>
    public bool Contains(ulong nodeId) => IsVoter(nodeId) || IsLearner(nodeId);

    /// <inheritdoc />
    public bool Equals(ConfState? other) =>
        other is not null && voters.AsSpan().SequenceEqual(other.voters) && learners.AsSpan().SequenceEqual(other.learners);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ConfState);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (ulong id in voters)
        {
            hash.Add(id);
        }

        hash.Add(0UL);
        foreach (ulong id in learners)
        {
            hash.Add(id);
        }

        return hash.ToHashCode();
    }

    /// <summary>For example <c>Voters:[1 2 3] Learners:[4]</c>.</summary>
    public override string ToString() => $"Voters:[{string.Join(' ', voters)}] Learners:[{string.Join(' ', learners)}]";

    private static ulong[] SortedUnique(IEnumerable<ulong> ids, string parameterName)
    {
        ulong[] sorted = ids.ToArray();
        Array.Sort(sorted);
        for (int i = 0; i < sorted.Length; i++)
        {
            if (sorted[i] == 0)
            {
                throw new ArgumentException("node id 0 is reserved for 'no node'; use ids from 1", parameterName);
            }

            if (i > 0 && sorted[i] == sorted[i - 1])
            {
                throw new ArgumentException($"node {sorted[i]} is listed twice", parameterName);
            }
        }

        return sorted;
    }
}
