using Cairn.Protocol.Etcd;

namespace Cairn.Cli.Output;

/// <summary>
/// Prints responses in one <c>-w</c> format, one method per kind of response, as etcdctl 3.4's printer does.
/// A format that has no rendering for a response fails with etcdctl's "&lt;format&gt; not supported as output
/// format" (exit code 4); like etcdctl, that happens after the request was made.
/// </summary>
public abstract class ResponsePrinter
{
    /// <summary>Creates a printer writing to <paramref name="output"/> (and <paramref name="error"/> where etcdctl does).</summary>
    protected ResponsePrinter(OutputFormat format, OutputBuffer output, TextWriter error)
    {
        Format = format;
        Output = output;
        Error = error;
    }

    /// <summary>The format this printer writes.</summary>
    public OutputFormat Format { get; }

    /// <summary>Standard output.</summary>
    protected OutputBuffer Output { get; }

    /// <summary>Standard error (etcdctl 3.4 writes endpoint health lines there).</summary>
    protected TextWriter Error { get; }

    /// <summary>Creates the printer for <paramref name="format"/>.</summary>
    public static ResponsePrinter Create(OutputFormat format, bool hex, OutputBuffer output, TextWriter error) => format switch
    {
        OutputFormat.Simple => new SimplePrinter(hex, output, error),
        OutputFormat.Json => new JsonPrinter(output, error),
        OutputFormat.Fields => new FieldsPrinter(output, error),
        OutputFormat.Protobuf => new ProtobufPrinter(output, error),
        _ => new TablePrinter(output, error),
    };

    /// <summary><c>get</c>.</summary>
    public virtual void Get(RangeResponse response) => Unsupported();

    /// <summary><c>put</c>.</summary>
    public virtual void Put(PutResponse response) => Unsupported();

    /// <summary><c>del</c>.</summary>
    public virtual void Del(DeleteRangeResponse response) => Unsupported();

    /// <summary><c>txn</c>.</summary>
    public virtual void Txn(TxnResponse response) => Unsupported();

    /// <summary>One watch response delivered to <c>watch</c> (events, or the final cancel).</summary>
    public virtual void Watch(WatchResponse response) => Unsupported();

    /// <summary><c>lease grant</c>.</summary>
    public virtual void Grant(LeaseGrantResponse response) => Unsupported();

    /// <summary><c>lease revoke</c>.</summary>
    public virtual void Revoke(long leaseId, LeaseRevokeResponse response) => Unsupported();

    /// <summary>One <c>lease keep-alive</c> answer.</summary>
    public virtual void KeepAlive(LeaseKeepAliveResponse response) => Unsupported();

    /// <summary><c>lease timetolive</c>.</summary>
    public virtual void TimeToLive(LeaseTimeToLiveResponse response, bool keys) => Unsupported();

    /// <summary><c>lease list</c>.</summary>
    public virtual void Leases(LeaseLeasesResponse response) => Unsupported();

    /// <summary><c>member add</c> (the first line; the verb prints the ETCD_* lines).</summary>
    public virtual void MemberAdd(MemberAddResponse response) => Unsupported();

    /// <summary><c>member remove</c>.</summary>
    public virtual void MemberRemove(ulong memberId, MemberRemoveResponse response) => Unsupported();

    /// <summary><c>member update</c>.</summary>
    public virtual void MemberUpdate(ulong memberId, MemberUpdateResponse response) => Unsupported();

    /// <summary><c>member promote</c>.</summary>
    public virtual void MemberPromote(ulong memberId, MemberPromoteResponse response) => Unsupported();

    /// <summary><c>member list</c>.</summary>
    public virtual void MemberList(MemberListResponse response) => Unsupported();

    /// <summary><c>endpoint health</c>.</summary>
    public virtual void EndpointHealth(IReadOnlyList<EndpointHealth> health) => Unsupported();

    /// <summary><c>endpoint status</c>.</summary>
    public virtual void EndpointStatus(IReadOnlyList<EndpointStatus> statuses) => Unsupported();

    /// <summary><c>endpoint hashkv</c>.</summary>
    public virtual void EndpointHashKV(IReadOnlyList<EndpointHash> hashes) => Unsupported();

    /// <summary><c>move-leader</c>.</summary>
    public virtual void MoveLeader(ulong leaderId, ulong targetId, MoveLeaderResponse response) => Unsupported();

    /// <summary><c>alarm list</c> and <c>alarm disarm</c>.</summary>
    public virtual void Alarm(AlarmResponse response) => Unsupported();

    /// <summary>Fails the way etcdctl does for a response this format cannot print.</summary>
    protected void Unsupported() =>
        throw CliException.BadFeature($"{OutputFormats.Name(Format)} not supported as output format");
}
