using ThpTool.Scanner.Memory;

namespace ThpTool.Tests.Scanner.Memory;

/// <summary>The cap's arithmetic, with a clock the test moves: no sleeping, no timing.</summary>
public class ReadRateLimiterTests
{
    [Fact]
    public void EachReadWaitsForTheSlotTheReadsBeforeItBooked()
    {
        double now = 100;
        var limiter = new ReadRateLimiter(1 << 20, () => now);
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(512 * 1024));                 // the first read goes at once
        Assert.Equal(TimeSpan.FromSeconds(0.5), limiter.Reserve(512 * 1024));     // then waits for the first's half second
        Assert.Equal(TimeSpan.FromSeconds(1.0), limiter.Reserve(1 << 20));        // booked behind both
        now += 3;                                                                  // idle past every booking
        Assert.Equal(TimeSpan.Zero, limiter.Reserve(1 << 20));
        now += 0.25;
        Assert.Equal(TimeSpan.FromSeconds(0.75), limiter.Reserve(4096));
    }

    [Fact]
    public void ThreadsShareOneBudget()
    {
        double now = 0;
        var limiter = new ReadRateLimiter(1000, () => now);
        var waits = new System.Collections.Concurrent.ConcurrentBag<TimeSpan>();
        Parallel.For(0, 100, _ => waits.Add(limiter.Reserve(10)));
        // 100 reads of 10 bytes at 1000 B/s book one second between them: the last waits 0.99 s, whoever made it.
        Assert.Equal(Enumerable.Range(0, 100).Select(i => Math.Round(i * 0.01, 6)).ToArray(),
                     waits.Select(w => Math.Round(w.TotalSeconds, 6)).Order().ToArray());
    }
}
