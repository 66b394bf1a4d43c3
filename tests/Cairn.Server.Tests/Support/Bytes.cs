using Google.Protobuf;

namespace Cairn.Server.Tests.Support;

/// <summary>Short helpers for keys and values in tests.</summary>
public static class Bytes
{
    public static ByteString B(string text) => ByteString.CopyFromUtf8(text);

    public static string S(ByteString bytes) => bytes.ToStringUtf8();

    /// <summary>A cancellation token that fires after <paramref name="seconds"/>, so a missing response fails the test instead of hanging it.</summary>
    public static CancellationToken Within(double seconds = 10) => new CancellationTokenSource(TimeSpan.FromSeconds(seconds)).Token;
}
