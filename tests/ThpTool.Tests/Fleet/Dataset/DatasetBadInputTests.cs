using Parquet;
using Parquet.Schema;
using ThpTool.Common.Errors;
using ThpTool.Fleet.Dataset;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Fleet.Dataset;

/// <summary>What is not a dataset this thptool reads: one line on stderr, exit code 6 (2 for a usage mistake).</summary>
public sealed class DatasetBadInputTests
{
    static void AssertOneLine(Thptool.Result r, ExitCode code, string expected)
    {
        Assert.Equal((int)code, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("thptool: ", line);
        Assert.Contains(expected, line);
    }

    static void Export(string dir, params ScanFile[] scans) => DatasetWriter.Write(dir, scans.SelectMany(HostTables.From));

    [Fact]
    public async Task SampledScansAreNotExported()
    {
        using var dir = new TempDir();
        var sampled = Path.Combine(dir.Path, "sampled.json");
        ScanFileStore.Save(SyntheticScans.Seeded(1, "a") with { Sample = new ContentSample { Fraction = 0.05, Seed = 1 } }, sampled);
        var dataset = Path.Combine(dir.Path, "fleet");
        AssertOneLine(await Thptool.RunInProcess("export", sampled, "--parquet", dataset), ExitCode.SampledScan, "read only a sample");
        Assert.False(Directory.Exists(Path.Combine(dataset, "thps")));
    }

    [Fact]
    public async Task ADirectoryWithoutADatasetIsRefused()
    {
        using var dir = new TempDir();
        AssertOneLine(await Thptool.RunInProcess("sweep", dir.Path, "--csv", Path.Combine(dir.Path, "out.csv")), ExitCode.BadScanFile, "holds no thptool dataset");
        AssertOneLine(await Thptool.RunInProcess("report", dir.Path), ExitCode.BadScanFile, "holds no thptool dataset");
        Assert.False(File.Exists(Path.Combine(dir.Path, "out.csv")));
    }

    [Fact]
    public async Task AParquetFileOfAnotherSchemaIsRefusedByName()
    {
        using var dir = new TempDir();
        Export(dir.Path, SyntheticScans.Seeded(1, "a"));
        var foreign = Path.Combine(dir.Path, "thps", "scan_date=2026-01-02", "other.parquet");
        await WriteParquet(foreign, new Dictionary<string, string>());
        AssertOneLine(await Thptool.RunInProcess("sweep", dir.Path), ExitCode.BadScanFile, $"{foreign} is not a thptool dataset file");
    }

    [Fact]
    public async Task ANewerSchemaVersionIsRefused()
    {
        using var dir = new TempDir();
        Export(dir.Path, SyntheticScans.Seeded(1, "a"));
        var newer = Path.Combine(dir.Path, "collapse", "scan_date=2026-01-02", "b.parquet");
        await WriteParquet(newer, new Dictionary<string, string>
        {
            [DatasetLayout.FormatKey] = DatasetLayout.FormatName, [DatasetLayout.TableKey] = DatasetLayout.Collapse, [DatasetLayout.VersionKey] = "2",
        });
        AssertOneLine(await Thptool.RunInProcess("report", dir.Path), ExitCode.BadScanFile, "is dataset schema version 2; this thptool reads 1 to 1");
    }

    [Fact]
    public async Task AFileThatIsNotParquetIsRefused()
    {
        using var dir = new TempDir();
        Export(dir.Path, SyntheticScans.Seeded(1, "a"));
        var junk = Path.Combine(dir.Path, "hosts", "scan_date=2026-01-02", "junk.parquet");
        await File.WriteAllTextAsync(junk, "not parquet at all", TestContext.Current.CancellationToken);
        AssertOneLine(await Thptool.RunInProcess("sweep", dir.Path), ExitCode.BadScanFile, "is a damaged thptool dataset");
    }

    [Fact]
    public async Task TwoScansOfOneHostAreRefused()
    {
        using var dir = new TempDir();
        var first = SyntheticScans.Seeded(1, "web1");
        Export(dir.Path, first);
        // Written independently (say by the host itself, a day later): the dataset now holds web1 twice.
        Export(dir.Path, first with { Timestamp = first.Timestamp.AddDays(1) });
        AssertOneLine(await Thptool.RunInProcess("sweep", dir.Path, "--csv", "-"), ExitCode.BadScanFile, "holds host web1 more than once (scan_date 2026-01-02, 2026-01-03)");

        // export itself refuses to add a second scan of a host, from one call or from two.
        using var other = new TempDir();
        var a = Path.Combine(other.Path, "a.json");
        var b = Path.Combine(other.Path, "b.json");
        ScanFileStore.Save(first, a);
        ScanFileStore.Save(first with { Timestamp = first.Timestamp.AddDays(1) }, b);
        var target = Path.Combine(other.Path, "ds");
        AssertOneLine(await Thptool.RunInProcess("export", a, b, "--parquet", target), ExitCode.Usage, $"host web1 is in both {a} and {b}");
        Assert.Equal(0, (await Thptool.RunInProcess("export", a, "--parquet", target)).ExitCode);
        AssertOneLine(await Thptool.RunInProcess("export", b, "--parquet", target), ExitCode.Usage, "already holds host web1 under scan_date=2026-01-02, in ");
        // The same scan again too: its rows share a part file with other hosts', which an export never rewrites.
        AssertOneLine(await Thptool.RunInProcess("export", a, "--parquet", target), ExitCode.Usage, "already holds host web1 under scan_date=2026-01-02, in ");
        Assert.Single(Directory.GetFiles(Path.Combine(target, DatasetLayout.Hosts), "*.parquet", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task AHostInAnOldOneFilePerHostDatasetIsFoundToo()
    {
        using var dir = new TempDir();
        var scan = SyntheticScans.Seeded(1, "web1");
        var old = Path.Combine(dir.Path, "ds", DatasetLayout.Hosts, "scan_date=2026-01-02", "web1.parquet");
        Export(Path.Combine(dir.Path, "ds"), scan);
        File.Move(Directory.GetFiles(Path.GetDirectoryName(old)!).Single(), old);
        var a = Path.Combine(dir.Path, "a.json");
        ScanFileStore.Save(scan, a);
        AssertOneLine(await Thptool.RunInProcess("export", a, "--parquet", Path.Combine(dir.Path, "ds")), ExitCode.Usage, $"already holds host web1 under scan_date=2026-01-02, in {old}");
    }

    [Fact]
    public async Task ExportReadsScanFilesAsEveryCommandDoes()
    {
        using var dir = new TempDir();
        var bad = Path.Combine(dir.Path, "bad.json");
        await File.WriteAllTextAsync(bad, "{\"format\": \"thptool-scan\", \"version\": 1, \"host\":", TestContext.Current.CancellationToken);
        AssertOneLine(await Thptool.RunInProcess("export", bad, "--parquet", Path.Combine(dir.Path, "ds")), ExitCode.BadScanFile, "truncated");
    }

    static async Task WriteParquet(string path, Dictionary<string, string> metadata)
    {
        var field = new DataField<int>("x");
        await using var file = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(field), file);
        writer.CustomMetadata = metadata;
        using var rowGroup = writer.CreateRowGroup();
        await rowGroup.WriteAsync(field, new ReadOnlyMemory<int>([1, 2]));
    }
}
