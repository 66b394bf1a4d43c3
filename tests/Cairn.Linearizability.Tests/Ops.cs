using Cairn.Linearizability;

namespace Cairn.Linearizability.Tests;

/// <summary>Terse constructors for hand-written histories (times are abstract ticks).</summary>
internal static class Ops
{
    public static Operation Put(string key, string value, long invoke, long ret, long revision, int client = 0) => new()
    {
        ClientId = client, Kind = OperationKind.Put, Key = key, WriteValue = value,
        InvokeTicks = invoke, ReturnTicks = ret, Outcome = Outcome.Ok, HeaderRevision = revision,
    };

    public static Operation UnknownPut(string key, string value, long invoke, int client = 0) => new()
    {
        ClientId = client, Kind = OperationKind.Put, Key = key, WriteValue = value,
        InvokeTicks = invoke, Outcome = Outcome.Unknown, Error = "deadline exceeded",
    };

    public static Operation Get(string key, string? value, long modRevision, long invoke, long ret, long header, int client = 0) => new()
    {
        ClientId = client, Kind = OperationKind.Get, Key = key, InvokeTicks = invoke, ReturnTicks = ret,
        Outcome = Outcome.Ok, Found = value is not null, ReadValue = value, ModRevision = value is null ? 0 : modRevision,
        HeaderRevision = header,
    };

    public static Operation Delete(string key, long deleted, long invoke, long ret, long revision, int client = 0) => new()
    {
        ClientId = client, Kind = OperationKind.Delete, Key = key, InvokeTicks = invoke, ReturnTicks = ret,
        Outcome = Outcome.Ok, DeletedCount = deleted, HeaderRevision = revision,
    };

    public static Operation CasRevision(string key, long expected, string value, bool succeeded, long invoke, long ret, long revision, int client = 0) => new()
    {
        ClientId = client, Kind = OperationKind.CompareAndSet, Key = key, Compare = CompareTarget.ModRevision,
        CompareModRevision = expected, WriteValue = value, InvokeTicks = invoke, ReturnTicks = ret,
        Outcome = Outcome.Ok, Succeeded = succeeded, HeaderRevision = revision,
    };

    public static Operation CasValue(string key, string expected, string value, bool succeeded, long invoke, long ret, long revision, int client = 0) => new()
    {
        ClientId = client, Kind = OperationKind.CompareAndSet, Key = key, Compare = CompareTarget.Value,
        CompareValue = expected, WriteValue = value, InvokeTicks = invoke, ReturnTicks = ret,
        Outcome = Outcome.Ok, Succeeded = succeeded, HeaderRevision = revision,
    };
}
