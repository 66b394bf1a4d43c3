using Cairn.Protocol.Grpc;
namespace Cairn.Storage;

/// <summary>
/// An error as etcd reports it: a gRPC status code and the exact message string. Clients (etcdctl, the Go client)
/// recognise errors by their message, so every message here is byte-for-byte etcd's
/// (shared/reference/etcd-v3-api.md §3). The named instances are the errors the storage layer produces.
/// </summary>
public sealed class EtcdError
{
    /// <summary>Creates an error with the given gRPC status code and message.</summary>
    public EtcdError(GrpcStatusCode code, string message)
    {
        Code = code;
        Message = message;
    }

    /// <summary>The gRPC status code.</summary>
    public GrpcStatusCode Code { get; }

    /// <summary>The exact message sent as <c>grpc-message</c>.</summary>
    public string Message { get; }

    /// <summary>Returns an exception carrying this error.</summary>
    public EtcdException ToException() => new(this);

    /// <inheritdoc />
    public override string ToString() => $"{Code}: {Message}";

    // ---- request validation ----

    /// <summary>Empty key in Range/Put/DeleteRange or in a txn compare/op.</summary>
    public static readonly EtcdError EmptyKey = new(GrpcStatusCode.InvalidArgument, "etcdserver: key is not provided");

    /// <summary>ignore_value/ignore_lease on a missing key; an empty RequestOp in a txn.</summary>
    public static readonly EtcdError KeyNotFound = new(GrpcStatusCode.InvalidArgument, "etcdserver: key not found");

    /// <summary>ignore_value together with a non-empty value.</summary>
    public static readonly EtcdError ValueProvided = new(GrpcStatusCode.InvalidArgument, "etcdserver: value is provided");

    /// <summary>ignore_lease together with a non-zero lease.</summary>
    public static readonly EtcdError LeaseProvided = new(GrpcStatusCode.InvalidArgument, "etcdserver: lease is provided");

    /// <summary>A txn list (compare, success or failure) longer than the configured maximum.</summary>
    public static readonly EtcdError TooManyOps =
        new(GrpcStatusCode.InvalidArgument, "etcdserver: too many operations in txn request");

    /// <summary>Two puts of one key, or a put inside a delete range, in one txn branch.</summary>
    public static readonly EtcdError DuplicateKey =
        new(GrpcStatusCode.InvalidArgument, "etcdserver: duplicate key given in txn request");

    /// <summary>The replicated request is larger than the configured maximum.</summary>
    public static readonly EtcdError RequestTooLarge = new(GrpcStatusCode.InvalidArgument, "etcdserver: request is too large");

    // ---- mvcc ----

    /// <summary>A read, hash or compaction at a revision that compaction has removed.</summary>
    public static readonly EtcdError Compacted =
        new(GrpcStatusCode.OutOfRange, "etcdserver: mvcc: required revision has been compacted");

    /// <summary>A read, hash or compaction at a revision newer than the store's.</summary>
    public static readonly EtcdError FutureRevision =
        new(GrpcStatusCode.OutOfRange, "etcdserver: mvcc: required revision is a future revision");

    /// <summary>A write while the NOSPACE alarm is active.</summary>
    public static readonly EtcdError NoSpace =
        new(GrpcStatusCode.ResourceExhausted, "etcdserver: mvcc: database space exceeded");

    /// <summary>Any request while the CORRUPT alarm is active.</summary>
    public static readonly EtcdError Corrupt = new(GrpcStatusCode.DataLoss, "etcdserver: corrupt cluster");

    // ---- leases ----

    /// <summary>LeaseRevoke of an unknown lease; Put with an unknown lease.</summary>
    public static readonly EtcdError LeaseNotFound = new(GrpcStatusCode.NotFound, "etcdserver: requested lease not found");

    /// <summary>LeaseGrant with an ID already in use.</summary>
    public static readonly EtcdError LeaseExists = new(GrpcStatusCode.FailedPrecondition, "etcdserver: lease already exists");

    /// <summary>LeaseGrant with a TTL above 9,000,000,000 seconds.</summary>
    public static readonly EtcdError LeaseTtlTooLarge = new(GrpcStatusCode.OutOfRange, "etcdserver: too large lease TTL");

    // ---- membership ----

    /// <summary>MemberAdd producing an ID already in use.</summary>
    public static readonly EtcdError MemberExists = new(GrpcStatusCode.FailedPrecondition, "etcdserver: member ID already exist");

    /// <summary>MemberAdd/MemberUpdate with a peer URL another member uses.</summary>
    public static readonly EtcdError PeerUrlExists = new(GrpcStatusCode.FailedPrecondition, "etcdserver: Peer URLs already exists");

    /// <summary>A peer URL that does not parse as http(s)://host:port.</summary>
    public static readonly EtcdError MemberBadUrls = new(GrpcStatusCode.InvalidArgument, "etcdserver: given member URLs are invalid");

    /// <summary>MemberRemove/Update/Promote of an unknown (or removed) member.</summary>
    public static readonly EtcdError MemberNotFound = new(GrpcStatusCode.NotFound, "etcdserver: member not found");

    /// <summary>MemberPromote of a voting member.</summary>
    public static readonly EtcdError MemberNotLearner =
        new(GrpcStatusCode.FailedPrecondition, "etcdserver: can only promote a learner member");

    /// <summary>MemberAdd of a learner when the cluster already has the maximum number of learners.</summary>
    public static readonly EtcdError TooManyLearners =
        new(GrpcStatusCode.FailedPrecondition, "etcdserver: too many learner members in cluster");
}
