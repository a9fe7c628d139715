using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using ThpTool.Common.Errors;
using ThpTool.Report.Advice;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Hostile;

/// <summary>
/// Generated scan and fleet files, each a real one with a few fields replaced by what a damaged or hostile file
/// could hold: every load either gives a scan the sweep and the terminal view handle with sane figures, or fails
/// with the scan-file error in one line; never another exception.
/// </summary>
public sealed class ScanFilePropertyTests
{
    static readonly string[] Hostile =
    [
        "null", "[]", "{}", "[null]", "-1", "0", "512", "513", "600", "99999", "2147483648", "9223372036854775807",
        "9223372036854775808", "-9223372036854775808", "1e400", "-1e400", "1.5", "\"x\"", "\"\"", "true", "\"Pmd\"", "7",
        "\"\\u001b[2J\\n\"",
    ];

    static readonly string[] Bases =
    [
        ScanFileStore.ToJson(SyntheticScans.Seeded(5, processes: 2)),
        ScanFileStore.ToJson(ScanMerge.Merge([SyntheticScans.Seeded(6, "a", processes: 2), SyntheticScans.Seeded(7, "b", processes: 1)])),
    ];

    /// <summary>
    /// The base, then (node, value) picks: the node is a field kind (a path, array indices left out) among the document's,
    /// then one node of that kind; the value is a hostile one or the node's removal. Picking the kind first reaches every
    /// field as often as the histogram counts that are most of a fleet file's nodes: 1,000 cases hit 1,330 (field kind,
    /// value) pairs, where 3,000 cases picking among all nodes alike hit 1,011 (measured once, same bases).
    /// </summary>
    static readonly Gen<(int Base, (int Node, int Value)[] Changes)> Damaged =
        Gen.Select(Gen.Int[0, Bases.Length - 1], Gen.Select(Gen.Int[0, int.MaxValue], Gen.Int[0, Hostile.Length]).Array[1, 3]);

    static byte[] Apply(int baseIndex, (int Node, int Value)[] changes)
    {
        var root = JsonNode.Parse(Bases[baseIndex])!;
        foreach (var (pick, value) in changes)
        {
            var kinds = Descendants(root, "").GroupBy(d => d.Kind, d => d.Node).ToList();
            var ofKind = kinds[pick % kinds.Count].ToList();
            var node = ofKind[pick / kinds.Count % ofKind.Count];
            var replacement = value < Hostile.Length ? JsonNode.Parse(Hostile[value]) : null;
            switch (node.Parent)
            {
                case JsonObject o:
                    var name = node.GetPropertyName();
                    if (value == Hostile.Length) o.Remove(name); else o[name] = replacement;
                    break;
                case JsonArray a:
                    int i = node.GetElementIndex();
                    if (value == Hostile.Length) a.RemoveAt(i); else a[i] = replacement;
                    break;
            }
        }
        return Encoding.UTF8.GetBytes(root.ToJsonString());
    }

    /// <summary>Every value below the node, with its kind: its path with the array indices left out.</summary>
    static IEnumerable<(JsonNode Node, string Kind)> Descendants(JsonNode node, string path)
    {
        IEnumerable<(JsonNode? Child, string Kind)> children = node switch
        {
            JsonObject o => o.Select(p => (p.Value, $"{path}.{p.Key}")),
            JsonArray a => a.Select(e => (e, path + "[]")),
            _ => [],
        };
        foreach (var (child, kind) in children)
        {
            if (child is null) continue;
            // The identity fields stay: without them a file is "not a scan", a check of its own.
            if (kind is ".format" or ".version") continue;
            yield return (child, kind);
            foreach (var d in Descendants(child, kind)) yield return d;
        }
    }

    static void LoadsSaneOrFailsInOneLine(byte[] json)
    {
        ScanFile scan;
        try { scan = ScanFileStore.Parse(json, "gen.json"); }
        catch (UserError e)
        {
            Assert.Equal(ExitCode.BadScanFile, e.Code);
            Assert.DoesNotContain('\n', e.Message);
            return;
        }
        // What loads is what the tool would write again, and sweeps to figures that make sense.
        Assert.Equal(ScanFileStore.ToJson(scan), ScanFileStore.ToJson(ScanFileStore.Parse(Encoding.UTF8.GetBytes(ScanFileStore.ToJson(scan)), "again")));
        var hosts = FleetSweep.Run(scan, ThresholdSet.All, RemapPolicy.Upstream);
        var total = hosts.Count == 1 ? hosts[0] : FleetSweep.Total(hosts);
        foreach (var row in total.Result.Rows)
        {
            Assert.InRange(row.ThpsSplit, 0, row.ThpsScanned);
            Assert.True(row.BytesFreed >= 0 && row.BytesGrown >= 0 && row.ThpBytesBefore >= 0 && row.ThpBytesAfter >= 0, $"negative bytes at {row.MaxPtesNone}");
        }
        var advice = ThresholdAdvisor.Advise(total.Result.Rows, scan.Settings.MaxPtesNone);
        Assert.NotEmpty(SweepTable.Render(scan, hosts, advice));
    }

    [Fact]
    public void EveryDamagedFileLoadsSaneOrFailsWithTheScanFileError() =>
        Damaged.Sample(d => LoadsSaneOrFailsInOneLine(Apply(d.Base, d.Changes)), iter: 1000);

    [Fact]
    public void MergingFilesThatLoadGivesAFileThatLoads() =>
        Gen.Select(Damaged, Damaged).Sample(pair =>
        {
            ScanFile a, b;
            try
            {
                a = ScanFileStore.Parse(Apply(pair.Item1.Base, pair.Item1.Changes), "a.json");
                b = ScanFileStore.Parse(Apply(pair.Item2.Base, pair.Item2.Changes), "b.json");
            }
            catch (UserError) { return; }
            ScanFile fleet;
            try { fleet = ScanMerge.Merge([a, b]); }
            catch (UserError e) when (e.Code == ExitCode.Usage) { return; }
            var path = Path.Combine(Path.GetTempPath(), $"thptool-merge-{Guid.NewGuid():N}.json");
            try
            {
                try { ScanFileStore.Save(fleet, path); }
                catch (UserError e) when (e.Code == ExitCode.BadScanFile) { Assert.False(File.Exists(path)); return; }
                LoadsSaneOrFailsInOneLine(File.ReadAllBytes(path));
                ScanFileStore.Load(path);
            }
            finally { File.Delete(path); }
        }, iter: 500);

    [Theory]
    [InlineData("\"processes\":null", "processes is null")]
    [InlineData("\"settings\":null", "settings is null")]
    [InlineData("\"comm\":null", "processes[0].comm is null")]
    [InlineData("\"zeroSubpages\":600", "zeroSubpages is 600, outside 0..512")]
    [InlineData("\"zeroSubpages\":-1", "zeroSubpages is -1, outside 0..512")]
    [InlineData("\"maxPtesNone\":99999", "settings.maxPtesNone is 99999, outside 0..511")]
    [InlineData("\"durationSeconds\":1e400", "durationSeconds is Infinity, outside 0..31536000")]
    [InlineData("\"pid\":\"x\"", "x.json is a damaged scan: processes[0].pid: The JSON value could not be converted")]
    public void NamesTheBadFieldInOneLine(string field, string expected)
    {
        var json = Bases[0];
        var name = field[..(field.IndexOf(':') + 1)];
        int at = json.IndexOf(name, StringComparison.Ordinal);
        int end = json.IndexOfAny([',', '}'], at + name.Length);
        if (json[at + name.Length] is '[' or '{') end = MatchingClose(json, at + name.Length) + 1;
        var damaged = json[..at] + field + json[end..];
        var e = Assert.Throws<UserError>(() => ScanFileStore.Parse(Encoding.UTF8.GetBytes(damaged), "x.json"));
        Assert.Equal(ExitCode.BadScanFile, e.Code);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void AnEmptyHostListIsRefused()
    {
        var json = JsonNode.Parse(Bases[1])!;
        json["hosts"] = new JsonArray();
        var e = Assert.Throws<UserError>(() => ScanFileStore.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), "x.json"));
        Assert.Equal("x.json is a damaged scan: hosts is empty", e.Message);
    }

    [Theory]
    [InlineData("yes ' '", "/dev/stdin is not a thptool scan: its first 64 KiB are blank")]
    [InlineData("yes '{'", "/dev/stdin is larger than 256 MiB, the most a scan file may be")]
    public async Task AStreamThatNeverEndsIsRefusedWithoutReadingItAll(string writer, string expected)
    {
        // The stream's writer dies of SIGPIPE once thptool has stopped reading.
        using var shell = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("sh",
            ["-c", $"{writer} 2>&- | exec {Thptool.AppHost} sweep /dev/stdin"]) { RedirectStandardError = true })!;
        var stderr = await shell.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await shell.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal((int)ExitCode.BadScanFile, shell.ExitCode);
        Assert.Equal($"thptool: {expected}\n", stderr);
    }

    static int MatchingClose(string json, int open)
    {
        int depth = 0;
        for (int i = open; i < json.Length; i++)
        {
            if (json[i] is '[' or '{') depth++;
            else if (json[i] is ']' or '}' && --depth == 0) return i;
        }
        return json.Length - 1;
    }
}
