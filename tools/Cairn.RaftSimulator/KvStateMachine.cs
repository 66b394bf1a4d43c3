using System.Buffers.Binary;

namespace Cairn.Raft.Simulation;

/// <summary>
/// The replicated state machine of the simulation: a few registers, each holding the id and log index of the last
/// write applied to it. Small enough that a snapshot is a few hundred bytes.
/// </summary>
internal sealed class KvStateMachine
{
    public const int KeyCount = 8;

    // A write command: write id (8 bytes), key (1 byte), then padding that only exercises the size limits.
    public const int CommandHeaderBytes = 9;

    private readonly ulong[] lastWriteId = new ulong[KeyCount];
    private readonly ulong[] lastWriteIndex = new ulong[KeyCount];

    public ulong AppliedIndex { get; private set; }

    public ulong LastWriteIndex(int key) => lastWriteIndex[key];

    public static byte[] EncodeWrite(ulong writeId, int key, int paddingBytes)
    {
        byte[] data = new byte[CommandHeaderBytes + paddingBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(data, writeId);
        data[8] = (byte)key;
        return data;
    }

    public static (ulong WriteId, int Key) DecodeWrite(ReadOnlySpan<byte> data) =>
        (BinaryPrimitives.ReadUInt64LittleEndian(data), data[8]);

    /// <summary>Applies a normal entry; returns the write it carried (0 for the empty entries leaders append).</summary>
    public ulong Apply(in Entry entry)
    {
        AppliedIndex = entry.Index;
        if (entry.Data.Length < CommandHeaderBytes)
        {
            return 0;
        }

        (ulong writeId, int key) = DecodeWrite(entry.Data.Span);
        lastWriteId[key] = writeId;
        lastWriteIndex[key] = entry.Index;
        return writeId;
    }

    /// <summary>Marks a membership entry applied (it changes no register).</summary>
    public void Skip(in Entry entry) => AppliedIndex = entry.Index;

    public byte[] Snapshot()
    {
        byte[] data = new byte[8 + (KeyCount * 16)];
        BinaryPrimitives.WriteUInt64LittleEndian(data, AppliedIndex);
        for (int key = 0; key < KeyCount; key++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(8 + (key * 16)), lastWriteId[key]);
            BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(16 + (key * 16)), lastWriteIndex[key]);
        }

        return data;
    }

    public void Restore(ReadOnlySpan<byte> snapshot, ulong snapshotIndex)
    {
        if (snapshot.IsEmpty)
        {
            Array.Clear(lastWriteId);
            Array.Clear(lastWriteIndex);
            AppliedIndex = snapshotIndex;
            return;
        }

        ulong recordedIndex = BinaryPrimitives.ReadUInt64LittleEndian(snapshot);
        if (recordedIndex != snapshotIndex)
        {
            throw new SimulationViolation("state machine safety", $"snapshot at index {snapshotIndex} holds state applied up to {recordedIndex}");
        }

        for (int key = 0; key < KeyCount; key++)
        {
            lastWriteId[key] = BinaryPrimitives.ReadUInt64LittleEndian(snapshot[(8 + (key * 16))..]);
            lastWriteIndex[key] = BinaryPrimitives.ReadUInt64LittleEndian(snapshot[(16 + (key * 16))..]);
        }

        AppliedIndex = snapshotIndex;
    }
}
