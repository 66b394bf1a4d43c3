namespace Cairn.Bench.Http2;

/// <summary>Limits and window sizes of one lean HTTP/2 client connection. Every buffer has a named bound here.</summary>
internal sealed class Http2ConnectionOptions
{
    /// <summary>How long connecting (TCP, then the server's first SETTINGS) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The receive window of each stream (SETTINGS_INITIAL_WINDOW_SIZE); refreshed when half is used.</summary>
    public int InitialStreamWindowBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>The receive window of the connection; refreshed when half is used.</summary>
    public int ConnectionWindowBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>The socket read buffer: one read takes up to this many bytes of frames.</summary>
    public int ReadBufferBytes { get; init; } = 256 * 1024;

    /// <summary>The HPACK dynamic table size this side allows the server (SETTINGS_HEADER_TABLE_SIZE).</summary>
    public int HeaderTableBytes { get; init; } = 4096;

    /// <summary>The largest response header list (SETTINGS_MAX_HEADER_LIST_SIZE), decoded size.</summary>
    public int MaxHeaderListBytes { get; init; } = 64 * 1024;

    /// <summary>The largest header block accepted across HEADERS and CONTINUATION frames, encoded size.</summary>
    public int MaxHeaderBlockBytes { get; init; } = 64 * 1024;

    /// <summary>The largest response message of a call.</summary>
    public int MaxResponseMessageBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>How far the reader of a streaming call may fall behind (bytes received, not yet read) before the stream fails.</summary>
    public int MaxQueuedStreamBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>Bytes of frames waiting to be written, at most; more means callers outrun the socket.</summary>
    public int MaxPendingWriteBytes { get; init; } = 256 * 1024 * 1024;

    /// <summary>Finished streams kept for reuse.</summary>
    public int MaxPooledStreams { get; init; } = 4096;

    /// <summary>The <c>user-agent</c> request header.</summary>
    public string UserAgent { get; init; } = "cairn-bench/0.1";
}
