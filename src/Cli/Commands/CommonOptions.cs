using System.CommandLine;
using ThpTool.Common.Errors;
using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;

namespace ThpTool.Cli.Commands;

/// <summary>Options several commands share, declared once so their names and help never drift apart.</summary>
internal static class CommonOptions
{
    public static Option<int[]> Pids() => new("--pid", "-p")
    {
        Description = "Process to scan; repeat for several (a THP they share is counted once).",
        Arity = ArgumentArity.ZeroOrMore,
    };

    public static Option<bool> All() => new("--all")
    {
        Description = "Scan every process on the host (kernel threads are passed over; processes that exit or refuse are listed as skipped).",
    };

    public static Option<string?> Cgroup() => new("--cgroup")
    {
        Description = "Scan every process in this cgroup and its descendants: a cgroupfs directory, or a path under the memory controller's mount (v1 memory or v2 unified), e.g. /system.slice/app.service.",
    };

    public static Option<bool> Quiet() => new("--quiet", "-q")
    {
        Description = "No progress display.",
    };

    public static Option<bool> DotnetGc() => new("--dotnet-gc")
    {
        Description = "Make each .NET process run a full blocking GC (through its diagnostics port) before scanning it, so its heap holds only live objects.",
    };

    /// <summary>
    /// Two threads already doubled the memory bandwidth a scan takes (docs/performance.md); a production host's own
    /// work should keep most of it, so the default stops at four however many cores there are.
    /// </summary>
    public const int DefaultMaxThreads = 4;

    public static Option<int> Threads() => new("--threads")
    {
        Description = $"Threads reading target memory (default: the cores, at most {DefaultMaxThreads}); results are identical for any number.",
        DefaultValueFactory = _ => Math.Min(Environment.ProcessorCount, DefaultMaxThreads),
    };

    public static Option<double?> Sample() => new("--sample")
    {
        Description = "Read the contents of only this fraction (0-1] of each process's THPs, e.g. 0.05; at least 30 per process (all of a smaller one). " +
                      "THP counts stay exact; THPs split and bytes freed become estimates with 95% intervals. Example: thptool scan --all --sample 0.05 -o scan.json",
    };

    public static Option<ulong?> Seed() => new("--seed")
    {
        Description = "Seed of the --sample draw, for a repeatable sample (default: random; the scan file records it either way).",
    };

    public static Option<string?> MaxRate() => new("--max-rate")
    {
        Description = "Read target memory at most this fast, in bytes per second across all threads (suffixes K, M, G), e.g. --max-rate 1G. " +
                      "The scan waits between read calls, never while holding a target's mmap lock.",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print the result as JSON for scripts instead of a table.",
    };

    public static Option<string> Thresholds() => new("--thresholds")
    {
        Description = "max_ptes_none values to evaluate, e.g. 0,64,409 or 0-511 (default: all for CSV/JSON, a telling few on the terminal).",
    };

    public static Option<RemapPolicy> RemapPolicy() => new("--remap-policy")
    {
        Description = "What a split does with zero subpages: upstream (shared zero page everywhere) or v1 (pte_none except in uffd-armed VMAs).",
        DefaultValueFactory = _ => Scanner.KernelModel.RemapPolicy.Upstream,
    };

    public static Option<double> TargetShare() => new("--target-share")
    {
        Description = "Share (0-1] of the memory threshold 0 would recover that the recommended threshold must still recover.",
        DefaultValueFactory = _ => ThresholdAdvisor.DefaultTargetShare,
    };

    /// <summary>Checked before any scanning or loading, so a typo fails at once.</summary>
    public static double CheckTargetShare(double share) =>
        share > 0 && share <= 1 ? share : throw new UserError(ExitCode.Usage, $"--target-share must be above 0 and at most 1 (0.8 means 80%), not {share}");

    /// <summary>A threshold for the kernel itself: written to max_ptes_none while an experiment runs.</summary>
    public static Option<int> MaxPtesNone(int defaultValue)
    {
        var option = new Option<int>("--max-ptes-none")
        {
            Description = $"The max_ptes_none the kernel runs the experiment at, 0..{ShrinkerModel.MaxThreshold} (set for the run only).",
            DefaultValueFactory = _ => defaultValue,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > ShrinkerModel.MaxThreshold)
                result.AddError($"--max-ptes-none must be between 0 and {ShrinkerModel.MaxThreshold}");
        });
        return option;
    }
}
