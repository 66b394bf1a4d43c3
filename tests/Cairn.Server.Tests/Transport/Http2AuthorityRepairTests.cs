using System.Text;
using Cairn.Protocol.Hpack;
using Cairn.Server.Transport;

namespace Cairn.Server.Tests.Transport;

public class Http2AuthorityRepairTests
{
    private const byte LiteralWithIndexingStaticAuthority = 0x41; // 01 000001: name = static entry 1 (:authority)
    private const byte LiteralWithoutIndexingNewName = 0x00;

    [Fact]
    public void A_raw_url_authority_becomes_a_host_of_the_same_length()
    {
        byte[] block = [.. Indexed(2), .. RawLiteral(LiteralWithIndexingStaticAuthority, "http://127.0.0.1:2379"), .. Indexed(7)];

        Assert.Equal(1, Http2AuthorityRepair.RepairHeaderBlock(block));

        Assert.Equal([.. Indexed(2), .. RawLiteral(LiteralWithIndexingStaticAuthority, "httpx--127.0.0.1:2379"), .. Indexed(7)], block);
    }

    [Theory]
    [InlineData("http://127.0.0.1:2379")]
    [InlineData("https://etcd-0.etcd.kube-system.svc:2379")]
    public void A_huffman_url_authority_is_rewritten_in_the_same_bits(string authority)
    {
        byte[] encoded = new byte[HpackHuffman.EncodedLength(Encoding.ASCII.GetBytes(authority))];
        HpackHuffman.Encode(Encoding.ASCII.GetBytes(authority), encoded);
        byte[] block = [LiteralWithIndexingStaticAuthority, (byte)(0x80 | encoded.Length), .. encoded];

        Assert.Equal(1, Http2AuthorityRepair.RepairHeaderBlock(block));

        Assert.Equal(encoded.Length, block[1] & 0x7F);
        byte[] decoded = new byte[encoded.Length * 2];
        int length = HpackHuffman.Decode(block.AsSpan(2), decoded);
        Assert.Equal(authority.Replace("://", "x--", StringComparison.Ordinal), Encoding.ASCII.GetString(decoded, 0, length));
    }

    [Fact]
    public void A_literal_authority_name_is_recognised_and_other_fields_are_left_alone()
    {
        byte[] path = RawLiteral(0x44, "/etcdserverpb.Maintenance/Status?u=http://x"); // :path (static 4), not an authority
        byte[] authority = [LiteralWithoutIndexingNewName, .. RawString(":authority"), .. RawString("https://10.0.0.1:2379")];
        byte[] block = [.. path, .. authority];

        Assert.Equal(1, Http2AuthorityRepair.RepairHeaderBlock(block));

        Assert.Equal([.. path, LiteralWithoutIndexingNewName, .. RawString(":authority"), .. RawString("httpsx--10.0.0.1:2379")], block);
    }

    [Fact]
    public void A_plain_host_authority_and_a_cut_off_block_are_left_as_they_are()
    {
        byte[] plain = RawLiteral(LiteralWithIndexingStaticAuthority, "127.0.0.1:2379");
        byte[] cut = RawLiteral(LiteralWithIndexingStaticAuthority, "http://127.0.0.1:2379")[..10];
        byte[] block = [.. plain, .. cut];
        byte[] before = (byte[])block.Clone();

        Assert.Equal(0, Http2AuthorityRepair.RepairHeaderBlock(block));

        Assert.Equal(before, block);
    }

    private static byte[] Indexed(int index) => [(byte)(0x80 | index)];

    private static byte[] RawLiteral(byte representation, string value) => [representation, .. RawString(value)];

    private static byte[] RawString(string value) => [(byte)value.Length, .. Encoding.ASCII.GetBytes(value)];
}
