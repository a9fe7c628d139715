using System.Diagnostics;

namespace ThpTool.Scanner.Memory;

/// <summary>
/// Caps the rate at which a scan reads target memory, across all its threads (--max-rate). Each read is given the
/// next free slot of bytes / rate seconds and waits for it before the read call begins, never inside one: the target's
/// mmap lock is held only while a read runs, which the cap does not lengthen.
/// </summary>
public sealed class ReadRateLimiter
{
    readonly double bytesPerSecond;
    readonly Func<double> now;
    readonly Lock gate = new();
    double nextFree = double.NegativeInfinity;

    /// <param name="clock">Seconds from any fixed origin; the tests give their own.</param>
    public ReadRateLimiter(long bytesPerSecond, Func<double>? clock = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bytesPerSecond, 1);
        this.bytesPerSecond = bytesPerSecond;
        now = clock ?? (() => Stopwatch.GetTimestamp() / (double)Stopwatch.Frequency);
    }

    /// <summary>Books <paramref name="bytes"/>; returns how long to wait before reading them.</summary>
    public TimeSpan Reserve(long bytes)
    {
        lock (gate)
        {
            double t = now();
            double start = Math.Max(t, nextFree);
            nextFree = start + bytes / bytesPerSecond;
            return TimeSpan.FromSeconds(start - t);
        }
    }

    public void Wait(long bytes, CancellationToken cancel)
    {
        var wait = Reserve(bytes);
        if (wait > TimeSpan.Zero && cancel.WaitHandle.WaitOne(wait)) cancel.ThrowIfCancellationRequested();
    }
}
