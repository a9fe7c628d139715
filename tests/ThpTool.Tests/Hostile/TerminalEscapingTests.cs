using System.Diagnostics;
using System.Globalization;
using ThpTool.Report.Csv;
using ThpTool.Report.Terminal;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Hostile;

/// <summary>Names chosen by whoever runs on the scanned host reach the terminal escaped, and CSV cells cannot be formulas.</summary>
public sealed class TerminalEscapingTests : IDisposable
{
    /// <summary>Clears the screen, then starts a forged line; 13 bytes, within a comm's 15.</summary>
    const string Hostile = "\u001b[2J\nforged 1";
    const string HostileShown = "\\x1b[2J\\x0aforged 1";
    readonly string dir = Directory.CreateTempSubdirectory("thptool-escape-").FullName;

    static void AssertNothingRaw(string output)
    {
        Assert.DoesNotContain('\u001b', output);
        Assert.DoesNotContain('\u0007', output);
        Assert.DoesNotContain(output.Split('\n'), line => line.StartsWith("forged", StringComparison.Ordinal));
    }

    [Fact]
    public void TextWithControlCharactersIsShownEscaped()
    {
        Assert.Equal(HostileShown, TerminalText.Safe(Hostile));
        Assert.Equal("a\\x7fb\\x9bc\\u202ed", TerminalText.Safe("a\u007fb\u009bc\u202ed"));
        Assert.Equal("plain /app.slice/x-1 ünïcode", TerminalText.Safe("plain /app.slice/x-1 ünïcode"));
    }

    [Live]
    [Fact]
    public async Task AProcessNamedWithAnEscapeSequenceIsShownEscaped()
    {
        LiveKernel.RequireRoot();
        // The kernel names a process after the file it executes: a link with that name to sleep.
        var link = Path.Combine(dir, Hostile);
        File.CreateSymbolicLink(link, "/bin/sleep");
        using var named = Process.Start(new ProcessStartInfo(link, ["300"]))!;
        using var plain = Process.Start(new ProcessStartInfo("sleep", ["300"]))!;
        try
        {
            Assert.Equal(Hostile + "\n", File.ReadAllText($"/proc/{named.Id}/comm"));
            var result = await Thptool.RunAsync("scan", "--pid", named.Id.ToString(), "--pid", plain.Id.ToString(), "--quiet");
            Assert.Equal(0, result.ExitCode);
            AssertNothingRaw(result.Stdout + result.Stderr);
            Assert.Contains($"{named.Id} {HostileShown}", result.Stdout, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var p in new[] { named, plain })
            {
                p.Kill();
                p.WaitForExit();
            }
        }
    }

    [Fact]
    public async Task NamesInAScanFileAreShownEscaped()
    {
        var scan = SyntheticScans.Seeded(3, host: "bad\u001b]0;owned\u0007" + Hostile);
        scan = scan with
        {
            Kernel = "6.18\u001b[31m",
            Processes = scan.Processes.Select((p, i) => p with
            {
                Comm = Hostile,
                Cgroup = $"/x\n{Hostile}{i}",
                Vmas = p.Vmas.Select(v => v with { Path = "/lib/\u001b[2J\nforged.so", Flags = [.. v.Flags, "um"] }).ToList(),
            }).ToList(),
        };
        var file = Path.Combine(dir, "scan.json");
        ScanFileStore.Save(scan, file);
        ScanFileStore.Save(SyntheticScans.Seeded(4, host: "=cmd|' /C calc'!A0"), Path.Combine(dir, "other.json"));

        foreach (var args in new[]
        {
            new[] { "sweep", file },
            ["report", file],
            ["merge", file, Path.Combine(dir, "other.json"), "-o", Path.Combine(dir, "fleet.json")],
            ["sweep", Path.Combine(dir, "fleet.json")],
        })
        {
            var result = await Thptool.RunInProcess(args);
            Assert.True(result.ExitCode == 0, $"{string.Join(' ', args)}: exit {result.ExitCode}: {result.Stderr}");
            AssertNothingRaw(result.Stdout + result.Stderr);
        }
        var sweep = await Thptool.RunInProcess("sweep", file);
        Assert.Contains("uffd-armed: pid 1000 (\\x1b[2J\\x0aforged 1) ", sweep.Stdout, StringComparison.Ordinal);
        Assert.Contains("/lib/\\x1b[2J\\x0aforged.so", sweep.Stdout, StringComparison.Ordinal);
        Assert.Contains("host bad\\x1b]0;owned\\x07\\x1b[2J\\x0aforged 1, kernel 6.18\\x1b[31m", sweep.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void CsvTextCellsThatCouldBeFormulasGetAQuoteAndNegativeNumbersStayNumbers()
    {
        string[] hosts = ["=1+2", "+1", "-1", "@SUM(A1)", "plain"];
        var fleet = FleetSweep.Run(ScanMerge.Merge(hosts.Select((h, i) => SyntheticScans.Seeded(i + 1, h)).ToList()), ThresholdSet.All, RemapPolicy.Upstream);
        using var stream = new MemoryStream();
        SweepCsv.Write(stream, fleet);
        var rows = System.Text.Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Skip(1).Select(l => l.Split(',')).ToList();
        int host = 17, net = 13;
        Assert.Equal(["\"'=1+2\"", "\"'+1\"", "\"'-1\"", "\"'@SUM(A1)\"", "plain", "*"], rows.Select(r => r[host]).Distinct());
        Assert.Contains(rows, r => r[net].StartsWith('-'));
        Assert.All(rows, r => long.Parse(r[net], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
    }

    public void Dispose() => Directory.Delete(dir, recursive: true);
}
