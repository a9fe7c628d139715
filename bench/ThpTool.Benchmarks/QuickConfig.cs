using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using Perfolizer.Horology;

namespace ThpTool.Benchmarks;

/// <summary>
/// A short job so a whole suite runs in minutes on a 2-core box. Many short iterations rather than
/// a few long ones: the box is shared, and short iterations give some that ran undisturbed (Min).
/// </summary>
public sealed class QuickConfig : ManualConfig
{
    public QuickConfig()
    {
        AddJob(Job.ShortRun
            .WithLaunchCount(1)
            .WithWarmupCount(3)
            .WithIterationCount(15)
            .WithIterationTime(TimeInterval.FromMilliseconds(100)));
        AddColumn(StatisticColumn.Min, ThroughputColumn.Median, ThroughputColumn.Best);
        HideColumns(Column.Error, Column.StdDev, Column.RatioSD);
    }
}
