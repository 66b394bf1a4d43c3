using System.Runtime.InteropServices;

namespace Cairn.Storage.Mvcc;

/// <summary>
/// Epoch-based reclamation for memory that readers reach without locks (value-file mappings). A reader holds a
/// ticket while it may dereference such memory; the writer retires memory, flips the epoch, and frees the memory
/// once every reader that entered before the flip has left. Readers never wait; the writer never blocks on readers
/// (it just checks again later).
/// </summary>
internal sealed class ReadGate
{
    private readonly PaddedCounter[] _active = new PaddedCounter[2];
    private long _epoch;

    /// <summary>Enters a read section; dispose the ticket to leave it.</summary>
    public Ticket Enter()
    {
        while (true)
        {
            long epoch = Volatile.Read(ref _epoch);
            int slot = (int)(epoch & 1);
            Interlocked.Increment(ref _active[slot].Value);
            if (Volatile.Read(ref _epoch) == epoch)
            {
                return new Ticket(this, slot);
            }

            // The writer flipped between our read and our increment; register in the new epoch instead.
            Interlocked.Decrement(ref _active[slot].Value);
        }
    }

    /// <summary>
    /// Starts a new epoch and returns the slot of the previous one. Memory retired before this call may be freed
    /// once <see cref="IsDrained"/> returns true for the returned slot.
    /// </summary>
    public int Flip()
    {
        long previous = Interlocked.Increment(ref _epoch) - 1;
        return (int)(previous & 1);
    }

    /// <summary>True when no reader of the epoch in <paramref name="slot"/> remains.</summary>
    public bool IsDrained(int slot) => Volatile.Read(ref _active[slot].Value) == 0;

    /// <summary>The epoch slot currently assigned to new readers.</summary>
    public int CurrentSlot => (int)(Volatile.Read(ref _epoch) & 1);

    /// <summary>A registered reader; leave by disposing.</summary>
    public readonly struct Ticket : IDisposable
    {
        private readonly ReadGate? _gate;
        private readonly int _slot;

        internal Ticket(ReadGate gate, int slot)
        {
            _gate = gate;
            _slot = slot;
        }

        /// <summary>Leaves the read section.</summary>
        public void Dispose()
        {
            if (_gate is not null)
            {
                Interlocked.Decrement(ref _gate._active[_slot].Value);
            }
        }
    }

    /// <summary>A counter on its own cache line, so the two epochs' counters do not false-share.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedCounter
    {
        [FieldOffset(64)]
        public long Value;
    }
}
