using System.Diagnostics;
using System.Globalization;

namespace Cairn.Bench.Running;

/// <summary>A progress bar on stderr, redrawn a few times a second; nothing at all when stderr is not a terminal.</summary>
internal sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private readonly Timer? _timer;
    private readonly TextWriter _error;
    private readonly string _label;
    private readonly long _total;
    private readonly Func<long> _done;
    private readonly Stopwatch _elapsed = Stopwatch.StartNew();

    private ProgressBar(string label, long total, Func<long> done, TextWriter error, bool enabled)
    {
        _label = label;
        _total = total;
        _done = done;
        _error = error;
        if (enabled)
        {
            _timer = new Timer(_ => Draw(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
        }
    }

    /// <summary>Starts a bar for <paramref name="total"/> units; <paramref name="done"/> is polled.</summary>
    public static ProgressBar Start(string label, long total, Func<long> done, bool enabled) =>
        new(label, total, done, Console.Error, enabled && !Console.IsErrorRedirected);

    /// <summary>Stops the bar and clears its line.</summary>
    public void Dispose()
    {
        if (_timer is null)
        {
            return;
        }

        _timer.Dispose();
        lock (_timer)
        {
            _error.Write("\r" + new string(' ', Width + 60) + "\r");
        }
    }

    private void Draw()
    {
        long done = Math.Min(_done(), _total);
        double fraction = _total > 0 ? (double)done / _total : 1;
        int filled = (int)(fraction * Width);
        double rate = done / Math.Max(_elapsed.Elapsed.TotalSeconds, 1e-9);
        string line = string.Create(CultureInfo.InvariantCulture,
            $"\r{_label} [{new string('#', filled)}{new string('.', Width - filled)}] {fraction * 100,3:0}% {done}/{_total} {rate:0}/s ");
        lock (_timer!)
        {
            _error.Write(line);
        }
    }
}
