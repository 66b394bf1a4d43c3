using Cairn.Protocol.Internal;
using Cairn.Storage.Mvcc;
using Cairn.Storage.StateMachine;
using Google.Protobuf;

namespace Cairn.Storage.Tests.Support;

/// <summary>A state machine over a temporary directory, fed encoded entries with consecutive indexes.</summary>
public sealed class MachineFixture : IDisposable
{
    private readonly TempDirectory _directory = new();

    public MachineFixture(ManualTime? time = null, ulong memberId = 0xAA, Func<MvccOptions, MvccOptions>? mvcc = null)
    {
        Time = time ?? new ManualTime();
        var mvccOptions = new MvccOptions { ValueDirectory = _directory.Sub("values") };
        Machine = new KvStateMachine(new StateMachineOptions
        {
            Mvcc = mvcc is null ? mvccOptions : mvcc(mvccOptions),
            LocalMemberId = memberId,
            Time = Time,
        });
    }

    public KvStateMachine Machine { get; }

    public ManualTime Time { get; }

    public string Directory => _directory.Path;

    public ulong Term { get; set; } = 1;

    public ApplyResult Apply(InternalRequest request) =>
        Machine.Apply(Machine.AppliedIndex + 1, Term, request.ToByteArray());

    public T Ok<T>(InternalRequest request)
        where T : class, IMessage
    {
        ApplyResult result = Apply(request);
        Assert.Null(result.Error);
        return Assert.IsType<T>(result.Response);
    }

    public EtcdError Fails(InternalRequest request)
    {
        ApplyResult result = Apply(request);
        Assert.NotNull(result.Error);
        return result.Error!;
    }

    public void Dispose()
    {
        Machine.Dispose();
        _directory.Dispose();
    }
}
