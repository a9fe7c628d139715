using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Mathematics;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ThpTool.Benchmarks;

/// <summary>
/// GiB/s = BufferKiB / 2^20 / (time per operation in seconds). Any benchmark class gets it by using
/// <see cref="QuickConfig"/> with a <c>BufferKiB</c> parameter, one operation covering the whole buffer.
/// </summary>
public sealed class ThroughputColumn(string columnName, string statistic, Func<Statistics, double> nanoseconds) : IColumn
{
    public const string BufferParameter = "BufferKiB";

    /// <summary>From the median: a typical iteration, robust to a few disturbed ones.</summary>
    public static readonly ThroughputColumn Median = new("GiB/s", "Median", s => s.Median);

    /// <summary>From the fastest iteration: what the loop can do when nothing else competes for the core.</summary>
    public static readonly ThroughputColumn Best = new("Best GiB/s", "Min", s => s.Min);

    public string Id => $"{nameof(ThroughputColumn)}.{statistic}";
    public string ColumnName => columnName;
    public bool AlwaysShow => true;
    public ColumnCategory Category => ColumnCategory.Custom;
    public int PriorityInCategory => 0;
    public bool IsNumeric => true;
    public UnitType UnitType => UnitType.Dimensionless;
    public string Legend => $"{BufferParameter} / {statistic} time per operation, in GiB per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var stats = summary[benchmarkCase]?.ResultStatistics;
        var kib = benchmarkCase.Parameters.Items.FirstOrDefault(p => p.Name == BufferParameter)?.Value;
        if (stats is null || kib is null)
            return "-";
        double gib = Convert.ToDouble(kib, CultureInfo.InvariantCulture) / (1024 * 1024);
        return (gib / (nanoseconds(stats) / 1e9)).ToString("F1", CultureInfo.InvariantCulture);
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) =>
        GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
    public bool IsAvailable(Summary summary) => true;
}
