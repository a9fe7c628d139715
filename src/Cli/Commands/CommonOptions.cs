using System.CommandLine;
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

    public static Option<int> Threads() => new("--threads")
    {
        Description = "Threads reading target memory (results are identical for any number).",
        DefaultValueFactory = _ => Environment.ProcessorCount,
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
}
