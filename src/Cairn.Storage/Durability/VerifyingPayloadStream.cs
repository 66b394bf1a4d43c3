namespace Cairn.Storage.Durability;

/// <summary>
/// A forward-only read stream over a checksummed file's payload: reads one block at a time and verifies
/// its CRC before handing out any of its bytes, so a consumer never parses unverified data.
/// </summary>
internal sealed class VerifyingPayloadStream : Stream
{
    private readonly ChecksummedFileReader _reader;
    private readonly byte[] _block;
    private long _nextBlockIndex;
    private int _blockLength;
    private int _blockPosition;
    private long _position;

    internal VerifyingPayloadStream(ChecksummedFileReader reader)
    {
        _reader = reader;
        _block = new byte[reader.BlockBytes];
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _reader.PayloadBytes;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("the verifying payload stream is forward-only");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_blockPosition == _blockLength)
        {
            long blockCount = ChecksummedFileFormat.BlockCount(_reader.PayloadBytes, _reader.BlockBytes);
            if (_nextBlockIndex == blockCount)
            {
                return 0;
            }

            _blockLength = _reader.ReadVerifiedBlock(_nextBlockIndex++, _block);
            _blockPosition = 0;
        }

        int copied = Math.Min(buffer.Length, _blockLength - _blockPosition);
        _block.AsSpan(_blockPosition, copied).CopyTo(buffer);
        _blockPosition += copied;
        _position += copied;
        return copied;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("the verifying payload stream is forward-only");

    public override void SetLength(long value) => throw new NotSupportedException("the verifying payload stream is read-only");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("the verifying payload stream is read-only");
}
