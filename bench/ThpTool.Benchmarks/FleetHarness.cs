using System.Diagnostics;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Tests.Support;

namespace ThpTool.Benchmarks;

/// <summary>
/// A synthetic fleet: N host scans written as files, then `thptool merge`, `export`, `sweep DIR` and `report DIR` run
/// as a user runs them (separate processes), each timed with its peak RSS from GNU time.
/// </summary>
internal static class FleetHarness
{
    public static void Run(HarnessArgs args)
    {
        int hosts = args.Ints("hosts", "2000")[0];
        int thps = args.Ints("thps", "1300")[0];
        int batch = args.Ints("batch", "5000")[0];
        var merges = args.Ints("merge", "").Where(m => m <= hosts).ToArray();
        var dir = args.List("dir", Path.Combine(Path.GetTempPath(), "thptool-fleet-bench"))[0];
        Directory.CreateDirectory(Path.Combine(dir, "scans"));
        Console.WriteLine($"# fleet: {hosts} hosts, {thps} THPs each, {Environment.ProcessorCount} cores; load {HarnessArgs.LoadAverage()}");

        var clock = Stopwatch.StartNew();
        var files = new string[hosts];
        long bytes = 0;
        for (int h = 0; h < hosts; h++)
        {
            files[h] = Path.Combine(dir, "scans", $"host-{h:D6}.json");
            var json = ScanFileStore.ToJson(SyntheticScans.FleetHost(h, thps));
            File.WriteAllText(files[h], json);
            bytes += json.Length;
        }
        Console.WriteLine($"generated {hosts} scans, {bytes / 1e6:F0} MB of JSON, in {clock.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine("| step | hosts | seconds | peak RSS MiB |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var m in merges)
            Report("merge", m, Thptool(["merge", .. files[..m], "-o", Path.Combine(dir, "fleet.json")]));

        var dataset = Path.Combine(dir, "dataset");
        if (Directory.Exists(dataset)) Directory.Delete(dataset, recursive: true);
        double seconds = 0;
        long peak = 0;
        for (int from = 0; from < hosts; from += batch)
        {
            var (s, p) = Thptool(["export", .. files[from..Math.Min(hosts, from + batch)], "--parquet", dataset]);
            seconds += s;
            peak = Math.Max(peak, p);
        }
        Report($"export (batches of {batch})", hosts, (seconds, peak));
        Report("sweep DIR --csv", hosts, Thptool(["sweep", dataset, "--csv", Path.Combine(dir, "sweep.csv")]));
        Report("sweep DIR --by-cgroup --csv", hosts, Thptool(["sweep", dataset, "--by-cgroup", "--csv", Path.Combine(dir, "cgroups.csv")]));
        Report("report DIR --html", hosts, Thptool(["report", dataset, "--html", Path.Combine(dir, "report.html")]));
    }

    static void Report(string step, int hosts, (double Seconds, long PeakKib) r) =>
        Console.WriteLine($"| {step} | {hosts} | {r.Seconds:F1} | {r.PeakKib / 1024} |");

    /// <summary>Wall seconds and peak RSS (KiB) of one thptool run; a failure stops the benchmark.</summary>
    static (double Seconds, long PeakKib) Thptool(string[] args)
    {
        var info = new ProcessStartInfo("/usr/bin/time") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-f", "%e %M", Path.Combine(AppContext.BaseDirectory, "thptool"), .. args]) info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var lines = process.StandardError.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        process.WaitForExit();
        _ = stdout.Result;
        if (process.ExitCode != 0) throw new InvalidOperationException($"thptool {args[0]} failed: {string.Join('\n', lines)}");
        var fields = lines[^1].Split(' ');
        return (double.Parse(fields[0]), long.Parse(fields[1]));
    }
}
