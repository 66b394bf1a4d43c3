namespace Cairn.Raft;

/// <summary>The state of an election (or of any quorum question) from the votes seen so far.</summary>
internal enum VoteResult : byte
{
    Pending = 0,
    Lost = 1,
    Won = 2,
}
