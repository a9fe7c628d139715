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
    public void PartFilesOfManyRowGroupsSweepAsOneFilePerHost()
    {
        using var parts = new TempDir();
        using var perHost = new TempDir();
        var scans = Enumerable.Range(1, 8).Select(i => SyntheticScans.Seeded(200 + i, $"host-{i}", processes: 2 + i % 3))
            .Append(SyntheticScans.Seeded(300, "next-day") with { Timestamp = new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero) }).ToArray();
        var writer = new DatasetWriter(parts.Path, rowGroupRows: 7);
        foreach (var host in scans.SelectMany(HostTables.From)) writer.Add(host);
        // One file per table and day for the whole writer, each of many row groups.
        var files = writer.Commit();
        Assert.Equal(6, files.Count);
        Assert.All(files.Where(f => !f.Contains("/hosts/") && f.Contains("2026-01-02")), f => Assert.True(RowGroups(f) > 1, f));
        // The layout before part files: one file per host and table.
        foreach (var host in scans.SelectMany(HostTables.From)) DatasetWriter.Write(perHost.Path, [host]);
        Assert.Equal(scans.Length, Directory.GetFiles(Path.Combine(perHost.Path, DatasetLayout.Thps), "*.parquet", SearchOption.AllDirectories).Length);

        var fromParts = DatasetSweepSet.Run(parts.Path, ThresholdSet.All, RemapPolicy.Upstream);
        var fromHosts = DatasetSweepSet.Run(perHost.Path, ThresholdSet.All, RemapPolicy.Upstream);
        var inMemory = FleetSweep.Run(ScanMerge.Merge(scans), ThresholdSet.All, RemapPolicy.Upstream).OrderBy(h => h.Host, StringComparer.Ordinal).ToArray();
        Assert.Equal(inMemory.Select(h => h.Result.Rows), fromParts.Hosts.Select(h => h.Result.Rows));
        Assert.Equal(inMemory.Select(h => h.Result.Rows), fromHosts.Hosts.Select(h => h.Result.Rows));
        Assert.Equal(fromHosts.Fleet.Result.Rows, fromParts.Fleet.Result.Rows);
        Assert.Equal(fromHosts.Cgroups.Select(c => (c.Cgroup, c.Result.Rows)), fromParts.Cgroups.Select(c => (c.Cgroup, c.Result.Rows)));
    }

    static int RowGroups(string file)
    {
        var reader = Parquet.ParquetReader.CreateAsync(file).GetAwaiter().GetResult();
        try
        {
            return reader.RowGroupCount;
        }
        finally
        {
            reader.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>
    /// The thresholds' edges, where the SQL's keys meet: THPs of 1, 511 and 512 zero subpages, ranges with 0 or 511 empty
    /// PTEs that settle at 512 (never), uffd-armed ranges, and hosts whose only THPs are mlocked or partially mapped (no key).
    /// </summary>
    [Theory, MemberData(nameof(Policies))]
    public void EdgeKeysSweepAsInMemory(RemapPolicy policy)
    {
        using var dir = new TempDir();
        ScanFile Host(string name, params VmaScan[] vmas) => SyntheticScans.Seeded(1, name) with
        {
            Processes = [new ProcessScan { Pid = 10, Comm = "p", Cgroup = "/a", Vmas = vmas }],
        };
        VmaScan Vma(string[] flags, ThpMapping mapping, int[] zeros, params CollapseRange[] ranges) => new()
        {
            Start = 1UL << 30, End = 2UL << 30, Perms = "rw-p", Flags = flags, CollapseRanges = ranges,
            Thps = zeros.Select((z, i) => new ThpRecord
            {
                Address = (1UL << 30) + ((ulong)i << 21), Pfn = (ulong)(i + 1) << 9, Mapping = mapping,
                MappedSubpages = mapping == ThpMapping.Partial ? 300 : 512, ZeroSubpages = z,
            }).ToArray(),
        };
        var scans = new[]
        {
            Host("edges", Vma(["rd", "wr", "hg"], ThpMapping.Pmd, [1, 511, 512, 512, 0], new CollapseRange(1UL << 21, 0, 512), new CollapseRange(2UL << 21, 511, 512), new CollapseRange(3UL << 21, 511, 0))),
            Host("mlocked-only", Vma(["rd", "wr", "lo"], ThpMapping.Pmd, [0, 300, 512])),
            Host("partial-only", Vma(["rd", "wr", "hg"], ThpMapping.Partial, [0, 5, 300])),
            Host("uffd", Vma(["rd", "wr", "um"], ThpMapping.Pte, [512, 3], new CollapseRange(1UL << 21, 0, 0), new CollapseRange(2UL << 21, 5, 9))),
            Host("ranges-only", Vma(["rd", "wr", "hg"], ThpMapping.Pmd, [], new CollapseRange(1UL << 21, 256, 300))),
        };
        DatasetWriter.Write(dir.Path, scans.SelectMany(HostTables.From));
        var set = DatasetSweepSet.Run(dir.Path, ThresholdSet.All, policy);
        var inMemory = FleetSweep.Run(ScanMerge.Merge(scans), ThresholdSet.All, policy).OrderBy(h => h.Host, StringComparer.Ordinal).ToArray();
        Assert.Equal(inMemory.Select(h => h.Host), set.Hosts.Select(h => h.Host));
        Assert.Equal(inMemory.Select(h => h.Result.Rows), set.Hosts.Select(h => h.Result.Rows));
        Assert.Equal(FleetSweep.Total(inMemory).Result.Rows, set.Fleet.Result.Rows);
        Assert.Contains(set.Fleet.Result.Rows, r => r.ThpsSplit > 0 && r.RangesCollapsed > 0 && r.PingPongRanges > 0 && r.MlockedSkipped > 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(DatasetSweep.HostsPerQuery)]
    public void HostSlicesGiveTheWholeQuerysRows(int hostsPerQuery)
    {
        using var dir = new TempDir();
        var scans = Enumerable.Range(1, 7).Select(i => SyntheticScans.Seeded(400 + i, $"host-{i}")).ToArray();
        DatasetWriter.Write(dir.Path, scans.SelectMany(HostTables.From));
        using var query = DatasetQuery.Open(dir.Path);
        var rows = DatasetSweep.HostRows(query, DatasetHosts.Read(query), ThresholdSet.All, RemapPolicy.Upstream, hostsPerQuery).ToArray();
        var inMemory = FleetSweep.Run(ScanMerge.Merge(scans), ThresholdSet.All, RemapPolicy.Upstream).OrderBy(h => h.Host, StringComparer.Ordinal);
        Assert.Equal(inMemory.SelectMany(h => h.Result.Rows.Select(r => (h.Host, r))), rows.Select(r => (r.Host.Host, r.Row)));
    }

    [Theory]
    [InlineData("a-before")]
    [InlineData("host-2a")]
    [InlineData("zz-after")]
    public void AHostWithThpsButNoHostsRowIsFoundInWhicheverSlice(string orphan)
    {
        using var dir = new TempDir();
        DatasetWriter.Write(dir.Path, Enumerable.Range(1, 4).SelectMany(i => HostTables.From(SyntheticScans.Seeded(500 + i, $"host-{i}"))));
        File.Delete(DatasetWriter.Write(dir.Path, HostTables.From(SyntheticScans.Seeded(600, orphan))).Single(f => f.Contains($"/{DatasetLayout.Hosts}/")));
        using var query = DatasetQuery.Open(dir.Path);
        var hosts = DatasetHosts.Read(query);
        var e = Assert.Throws<ThpTool.Common.Errors.UserError>(() => DatasetSweep.HostRows(query, hosts, ThresholdSet.All, RemapPolicy.Upstream, hostsPerQuery: 2).ToArray());
        Assert.Contains($"host {orphan} has THPs or ranges but no row in {DatasetLayout.Hosts}", e.Message);
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
