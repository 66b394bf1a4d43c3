namespace Cairn.Storage.Wal;

/// <summary>
/// Creates the next segment file (reserved, zero-filled, synced) ahead of time on a background task, so a
/// rollover only writes a 4 KiB header instead of waiting for 64 MiB of preallocation. At most one file is
/// prepared at a time. A failure surfaces when the file is taken, and is fatal there.
/// </summary>
internal sealed class WalSegmentPreparer : IDisposable
{
    private readonly string _directory;
    private readonly WalOptions _options;
    private Task? _pending;
    private ulong _pendingSequence;

    internal WalSegmentPreparer(string directory, WalOptions options)
    {
        _directory = directory;
        _options = options;
    }

    /// <summary>Starts preparing segment <paramref name="sequence"/> (in the background if configured so).</summary>
    internal void Start(ulong sequence)
    {
        if (!_options.PrepareSegmentsInBackground)
        {
            return;
        }

        Invariant.Check(_pending == null, "a segment preparation was started while another one was pending");
        _pendingSequence = sequence;
        _pending = Task.Run(() => Create(sequence));
    }

    /// <summary>Returns the path of a prepared file for segment <paramref name="sequence"/>, preparing it now if needed.</summary>
    internal string Take(ulong sequence)
    {
        Task? pending = _pending;
        _pending = null;
        if (pending != null)
        {
            // Rethrows a preparation failure; the caller treats it as fatal.
            pending.GetAwaiter().GetResult();
            if (_pendingSequence == sequence)
            {
                return WalSegmentFiles.PreparingPathOf(_directory, sequence);
            }

            File.Delete(WalSegmentFiles.PreparingPathOf(_directory, _pendingSequence));
        }

        Create(sequence);
        return WalSegmentFiles.PreparingPathOf(_directory, sequence);
    }

    /// <summary>Waits for a pending preparation and deletes its file (a new open would delete it anyway).</summary>
    public void Dispose()
    {
        Task? pending = _pending;
        _pending = null;
        if (pending == null)
        {
            return;
        }

        try
        {
            pending.GetAwaiter().GetResult();
            File.Delete(WalSegmentFiles.PreparingPathOf(_directory, _pendingSequence));
        }
#pragma warning disable CA1031 // Cleanup only: nothing depends on the prepared file, and the next open deletes leftovers.
        catch (Exception)
        {
        }
#pragma warning restore CA1031
    }

    private void Create(ulong sequence) =>
        WalSegmentFiles.CreatePreallocated(WalSegmentFiles.PreparingPathOf(_directory, sequence), _options.SegmentBytes, _options.Preallocation);
}
