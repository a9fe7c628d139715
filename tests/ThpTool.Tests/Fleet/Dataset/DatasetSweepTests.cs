using ThpTool.Fleet.Dataset;
using ThpTool.Fleet.Sql;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Fleet.Dataset;

/// <summary>The SQL sweep over an exported dataset gives exactly the rows of the in-memory sweep of the same scans merged.</summary>
public sealed class DatasetSweepTests
{
    public static TheoryData<RemapPolicy> Policies => new(RemapPolicy.Upstream, RemapPolicy.V1);

    [Theory, MemberData(nameof(Policies))]
    public void RealScanSweepsAsInMemory(RemapPolicy policy)
    {
        using var dir = new TempDir();
        var scan = ScanFileStore.Load(Path.Combine(LiveProcess.RepoRoot, "samples/sample-scan.json"));
        DatasetWriter.Write(dir.Path, HostTables.From(scan));
        var set = DatasetSweepSet.Run(dir.Path, ThresholdSet.All, policy);
        var expected = Sweep.Run(scan, ThresholdSet.All, policy).Rows;
        Assert.Equal(expected, Assert.Single(set.Hosts).Result.Rows);
        Assert.Equal(expected, set.Fleet.Result.Rows);
        Assert.Equal(scan.Host, set.Hosts[0].Host);
        Assert.Equal(scan.Settings, set.Hosts[0].Settings);
        Assert.Equal(scan.Timestamp.ToUnixTimeMilliseconds(), set.Hosts[0].ScanTime.ToUnixTimeMilliseconds());
    }

    [Theory, MemberData(nameof(Policies))]
    public void GeneratedFleetSweepsAsMergedInMemory(RemapPolicy policy)
    {
        using var dir = new TempDir();
        var scans = Enumerable.Range(1, 6).Select(i => SyntheticScans.Seeded(i, $"host-{i}", processes: 3 + i % 3)).ToArray();
        // A merged fleet file exports too: its hosts, without cgroups.
        var merged = ScanMerge.Merge([SyntheticScans.Seeded(40, "merged-a"), SyntheticScans.Seeded(41, "merged-b")]);
        DatasetWriter.Write(dir.Path, scans.Append(merged).SelectMany(HostTables.From));
        var thresholds = ThresholdSet.Parse("0-20,100,255,256,409,470,500-511");
        var set = DatasetSweepSet.Run(dir.Path, thresholds, policy);

        var inMemory = FleetSweep.Run(ScanMerge.Merge([.. scans, merged]), thresholds, policy).OrderBy(h => h.Host, StringComparer.Ordinal).ToArray();
        Assert.Equal(inMemory.Select(h => h.Host), set.Hosts.Select(h => h.Host));
        foreach (var (sql, memory) in set.Hosts.Zip(inMemory))
        {
            Assert.Equal(memory.Result.Rows, sql.Result.Rows);
            Assert.Equal(memory.Kernel, sql.Kernel);
            Assert.Equal(memory.Settings, sql.Settings);
        }
        var total = FleetSweep.Total(inMemory);
        Assert.Equal(total.Result.Rows, set.Fleet.Result.Rows);
        Assert.Equal(total.ScanTime, set.Fleet.ScanTime);
        Assert.Contains(set.Fleet.Result.Rows, r => r.ThpsSplit > 0 && r.RangesCollapsed > 0 && r.PingPongRanges > 0 && r.PartialThpsSplit > 0);
    }

    [Fact]
    public void CgroupRowsAreEachServiceSweptAcrossHosts()
    {
        using var dir = new TempDir();
        var scans = Enumerable.Range(1, 4).Select(i => SyntheticScans.Seeded(i, $"host-{i}", processes: 5)).ToArray();
        DatasetWriter.Write(dir.Path, scans.SelectMany(HostTables.From));
        var set = DatasetSweepSet.Run(dir.Path, ThresholdSet.All, RemapPolicy.Upstream);
        var cgroups = scans.SelectMany(s => s.Processes).Select(p => p.Cgroup!).Distinct().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(cgroups, set.Cgroups.Select(c => c.Cgroup));
        foreach (var cgroup in set.Cgroups)
        {
            // Each host's processes of that cgroup swept alone (a THP shared across cgroups counts in its first process's), added up.
            var expected = scans.Select(s => Sweep.Run(s with { Processes = s.Processes.Where(p => p.Cgroup == cgroup.Cgroup).ToArray() }, ThresholdSet.All).Rows)
                .Aggregate((a, b) => a.Zip(b, (x, y) => x.Plus(y)).ToArray());
            Assert.Equal(expected, cgroup.Result.Rows);
        }
        // The services add up to the fleet.
        var summed = set.Cgroups.Select(c => c.Result.Rows).Aggregate((a, b) => a.Zip(b, (x, y) => x.Plus(y)).ToArray());
        Assert.Equal(set.Fleet.Result.Rows, summed);
    }

    [Fact]
    public void AHostWithoutThpsGetsRowsOfZeros()
    {
        using var dir = new TempDir();
        var empty = SyntheticScans.Seeded(1, "idle") with { Processes = [] };
        DatasetWriter.Write(dir.Path, new[] { empty, SyntheticScans.Seeded(2, "busy") }.SelectMany(HostTables.From));
        var set = DatasetSweepSet.Run(dir.Path, ThresholdSet.All, RemapPolicy.Upstream);
        Assert.Equal(Sweep.Run(empty, ThresholdSet.All).Rows, set.Hosts.Single(h => h.Host == "idle").Result.Rows);
    }
}

/// <summary>A fresh temporary directory, removed with everything in it.</summary>
internal sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("thptool-dataset-").FullName;

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
