namespace Cairn.Storage;

/// <summary>
/// The gRPC status codes, with the numbers the gRPC wire protocol uses. The storage layer reports etcd errors with
/// these codes so the server can put them on the wire without a lookup table.
/// </summary>
public enum GrpcStatusCode
{
    /// <summary>Not an error.</summary>
    OK = 0,
    /// <summary>The operation was cancelled.</summary>
    Cancelled = 1,
    /// <summary>Unknown error.</summary>
    Unknown = 2,
    /// <summary>The client gave an invalid argument.</summary>
    InvalidArgument = 3,
    /// <summary>A deadline expired before the operation completed.</summary>
    DeadlineExceeded = 4,
    /// <summary>A requested entity was not found.</summary>
    NotFound = 5,
    /// <summary>The entity a client tried to create already exists.</summary>
    AlreadyExists = 6,
    /// <summary>The caller lacks permission.</summary>
    PermissionDenied = 7,
    /// <summary>A resource (quota, space) is exhausted.</summary>
    ResourceExhausted = 8,
    /// <summary>The system is not in a state required for the operation.</summary>
    FailedPrecondition = 9,
    /// <summary>The operation was aborted.</summary>
    Aborted = 10,
    /// <summary>The operation was attempted past the valid range.</summary>
    OutOfRange = 11,
    /// <summary>The operation is not implemented.</summary>
    Unimplemented = 12,
    /// <summary>Internal error.</summary>
    Internal = 13,
    /// <summary>The service is unavailable.</summary>
    Unavailable = 14,
    /// <summary>Unrecoverable data loss or corruption.</summary>
    DataLoss = 15,
    /// <summary>The request lacks valid authentication credentials.</summary>
    Unauthenticated = 16,
}
