using Cairn.Protocol.Grpc;

namespace Cairn.Protocol.Tests.Framing;

public class GrpcStatusMessageTests
{
    [Theory]
    [InlineData("etcdserver: requested lease not found", "etcdserver: requested lease not found")]
    [InlineData("", "")]
    [InlineData("100%", "100%25")]
    [InlineData("line1\nline2", "line1%0Aline2")]
    [InlineData("tab\there", "tab%09here")]
    [InlineData("caf\u00e9", "caf%C3%A9")]
    [InlineData("\u65e5\u672c", "%E6%97%A5%E6%9C%AC")]
    [InlineData("emoji \U0001F600", "emoji %F0%9F%98%80")]
    [InlineData("del\u007f", "del%7F")]
    [InlineData("unknown method \"x\"", "unknown method \"x\"")]
    public void Encodes_per_the_spec_and_decodes_back(string message, string encoded)
    {
        Assert.Equal(encoded, GrpcStatusMessage.Encode(message));
        Assert.Equal(message, GrpcStatusMessage.Decode(encoded));
    }

    [Fact]
    public void Plain_ascii_is_returned_without_copying()
    {
        string message = "etcdserver: key is not provided";
        Assert.Same(message, GrpcStatusMessage.Encode(message));
        Assert.Same(message, GrpcStatusMessage.Decode(message));
    }

    [Theory]
    [InlineData("50%", "50%")]
    [InlineData("%G1", "%G1")]
    [InlineData("%4", "%4")]
    [InlineData("a%2", "a%2")]
    [InlineData("%%41", "%A")]
    [InlineData("%e6%97%a5", "\u65e5")]
    public void Malformed_escapes_are_kept_as_they_are(string encoded, string decoded)
    {
        Assert.Equal(decoded, GrpcStatusMessage.Decode(encoded));
    }

    [Fact]
    public void Invalid_utf8_decodes_to_the_replacement_character()
    {
        Assert.Equal("a\uFFFDb", GrpcStatusMessage.Decode("a%FFb"));
    }

    [Fact]
    public void Long_messages_use_a_pooled_buffer()
    {
        string message = new string('\u00e9', 5000);
        string encoded = GrpcStatusMessage.Encode(message);
        Assert.Equal(5000 * 6, encoded.Length);
        Assert.Equal(message, GrpcStatusMessage.Decode(encoded));
    }
}
