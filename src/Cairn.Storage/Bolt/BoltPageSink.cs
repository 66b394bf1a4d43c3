namespace Cairn.Storage.Bolt;

/// <summary>Hands out page ids in file order and appends the pages: a page's id is its offset / page size.</summary>
internal sealed class BoltPageSink
{
    private readonly Stream _output;

    public BoltPageSink(Stream output, ulong firstPageId)
    {
        _output = output;
        NextPageId = firstPageId;
        _output.Position = (long)firstPageId * BoltFormat.PageSize;
    }

    /// <summary>The id the next written page gets; after the last write, the high-water mark.</summary>
    public ulong NextPageId { get; private set; }

    /// <summary>Appends one page (with its overflow pages); returns its id.</summary>
    public ulong Append(ReadOnlySpan<byte> pages)
    {
        Invariant.Check(pages.Length > 0 && pages.Length % BoltFormat.PageSize == 0, "bbolt pages are whole pages");
        ulong id = NextPageId;
        _output.Write(pages);
        NextPageId += (ulong)(pages.Length / BoltFormat.PageSize);
        return id;
    }
}
