using System.Text;

namespace Cairn.Raft.Simulation;

/// <summary>
/// The last events of a run, kept in a ring buffer and formatted only when a run fails, so tracing costs almost
/// nothing on the happy path.
/// </summary>
internal sealed class EventTrace(int capacity)
{
    private readonly (long Time, string What, ulong Node, object? Detail)[] ring = new (long, string, ulong, object?)[capacity];
    private long count;

    public void Add(long time, string what, ulong node, object? detail = null)
    {
        ring[count % ring.Length] = (time, what, node, detail);
        count++;
    }

    public string Format()
    {
        var text = new StringBuilder();
        long first = Math.Max(0, count - ring.Length);
        for (long i = first; i < count; i++)
        {
            (long time, string what, ulong node, object? detail) = ring[i % ring.Length];
            text.Append($"  t={time / Simulation.UnitsPerTick}.{time % Simulation.UnitsPerTick:D2} n{node} {what}");
            if (detail is not null)
            {
                text.Append(' ').Append(detail);
            }

            text.Append('\n');
        }

        return text.ToString();
    }
}
