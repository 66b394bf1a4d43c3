using Cairn.Protocol.Etcd;
using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;
using Cairn.Storage.StateMachine;
using Cairn.Storage.Tests.Support;
using Google.Protobuf;

namespace Cairn.Storage.Tests.Model;

/// <summary>
/// Random operation sequences applied to the real state machine and to <see cref="ReferenceModel"/>: every response,
/// every error and HashKV at random revisions must match.
/// </summary>
public sealed class ModelBasedTests
{
    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Random_operations_match_the_reference_model(int seed)
    {
        using var fixture = new MachineFixture(memberId: 0, mvcc: o => new MvccOptions
        {
            ValueDirectory = o.ValueDirectory, ValueSegmentBytes = 4096, MaintenanceBatchKeys = 3,
        }) { Term = 0 };
        var model = new ReferenceModel();
        var random = new Random(seed);
        var generator = new OperationGenerator(random, model);
        int writes = 0;
        InternalRequest? lastWrite = null;
        for (int step = 0; step < 1500; step++)
        {
            string context = $"seed {seed} step {step}";
            switch (random.Next(10))
            {
                case < 6:
                    writes++;
                    lastWrite = generator.NextWrite();
                    CheckWrite(fixture, model, lastWrite, context);
                    break;
                case < 8:
                    RangeRequest range = generator.Range();
                    Same(() => model.Range(range), () => fixture.Machine.Store.Range(range), context + " range " + range);
                    break;
                case 8:
                    TxnRequest txn = generator.ReadOnlyTxn();
                    Same(() => model.Txn(txn), () => fixture.Machine.Store.ReadOnlyTxn(txn), context + " read txn " + txn);
                    break;
                default:
                    long revision = random.NextInt64(-1, model.Current + 2);
                    Same(() => model.HashKV(Math.Max(0, revision)), () => fixture.Machine.Store.HashKV(Math.Max(0, revision)).Hash,
                        context + " hashkv " + revision);
                    break;
            }

            if (random.Next(4) == 0)
            {
                fixture.Machine.RunMaintenance();
            }

            // The whole keyspace now and at one random past revision still readable.
            foreach (long r in new[] { 0, random.NextInt64(Math.Max(1, model.Compacted), model.Current + 1) })
            {
                var all = new RangeRequest { Key = OperationGenerator.B("\0"), RangeEnd = OperationGenerator.B("\0"), Revision = r };
                Same(() => model.Range(all), () => fixture.Machine.Store.Range(all), context + $" full state at {r} after {lastWrite}");
            }
        }

        Assert.Equal(model.Current, fixture.Machine.Store.CurrentRevision);
        Assert.Equal(model.HashKV(0), fixture.Machine.Store.HashKV(0).Hash);
        Assert.True(writes > 500);
        foreach (long lease in model.LeaseIds)
        {
            Assert.Equal(model.LeaseKeys(lease), fixture.Machine.Leases.TimeToLive(lease, true).Keys.Select(k => System.Text.Encoding.Latin1.GetString(k.Span)));
        }
    }

    private static void CheckWrite(MachineFixture fixture, ReferenceModel model, InternalRequest request, string context)
    {
        object? expected;
        try
        {
            expected = request.RequestCase switch
            {
                InternalRequest.RequestOneofCase.Put => model.Put(request.Put),
                InternalRequest.RequestOneofCase.DeleteRange => model.DeleteRange(request.DeleteRange),
                InternalRequest.RequestOneofCase.Txn => model.Txn(request.Txn),
                InternalRequest.RequestOneofCase.Compaction => CompactModel(model, request.Compaction.Revision),
                InternalRequest.RequestOneofCase.LeaseGrant => model.Grant(request.LeaseGrant.ID, request.LeaseGrant.TTL),
                _ => model.Revoke(request.LeaseRevoke.ID),
            };
        }
        catch (EtcdException failure)
        {
            expected = failure.Error;
        }

        ApplyResult actual = fixture.Apply(request);
        if (expected is EtcdError error)
        {
            Assert.True(actual.Error is not null, $"{context}: expected {error} for {request}, got {actual.Response}");
            Assert.Equal(error.ToString(), actual.Error!.ToString());
        }
        else
        {
            Assert.True(actual.Error is null, $"{context}: unexpected {actual.Error} for {request}");
            Assert.True(Equals(expected, actual.Response), $"{context}: {request}\n expected {expected}\n actual   {actual.Response}");
        }
    }

    private static CompactionResponse CompactModel(ReferenceModel model, long revision)
    {
        model.Compact(revision);
        return new CompactionResponse { Header = new ResponseHeader { Revision = model.Current } };
    }

    private static void Same<T>(Func<T> expected, Func<T> actual, string context)
    {
        object? want;
        object? got;
        try
        {
            want = expected();
        }
        catch (EtcdException failure)
        {
            want = failure.Error.ToString();
        }

        try
        {
            got = actual();
        }
        catch (EtcdException failure)
        {
            got = failure.Error.ToString();
        }

        Assert.True(Equals(want, got), $"{context}:\n expected {want}\n actual   {got}");
    }
}
