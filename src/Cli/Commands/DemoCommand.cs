using System.CommandLine;
using ThpTool.Common.Errors;
using ThpTool.Experiments.Workloads;
using ThpTool.Report;
using ThpTool.Report.Advice;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Cli.Commands;

/// <summary>
/// thptool demo: the whole idea in one command. Starts a sparse workload like the shrinker series' reproduction
/// (one byte written every 50 KiB of MADV_HUGEPAGE memory), scans it and prints the sweep. Reads only: no kernel
/// setting is changed.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Memory the demo workload maps (suffixes K, M, G).", DefaultValueFactory = _ => "256M" };
        var stride = new Option<string>("--stride") { Description = "One byte is written every STRIDE bytes.", DefaultValueFactory = _ => "50K" };
        var json = CommonOptions.Json();
        var threads = CommonOptions.Threads();
        var command = new Command("demo", "Start a sparse THP workload, scan it and show what each max_ptes_none would free.\n" +
                                          "Example: thptool demo --size 1G --stride 200K")
        {
            size, stride, json, threads,
        };
        command.SetAction((parse, cancel) =>
            RunAsync(parse.GetValue(size)!, parse.GetValue(stride)!, parse.GetValue(json), parse.GetValue(threads), StandardStreams.Of(parse), cancel));
        return command;
    }

    public static async Task<int> RunAsync(string size, string stride, bool json, int threads, StandardStreams streams, CancellationToken cancel)
    {
        var spec = WorkloadSpec.FromOptions(size, stride, fills: null, mlock: false, uffd: null, fork: false, partial: 0);
        long available = PhysicalMemory.Available();
        if (spec.Size > available / 2)
            throw new UserError(ExitCode.Usage, $"--size {size} is more than half of the {Units.Bytes(available)} this machine has available: " +
                                                "the demo would push the host into reclaim or the OOM killer; give a smaller --size");
        await using var workload = await WorkloadProcess.StartAsync(spec, ct: cancel);
        if (!json)
            streams.Out.WriteLine($"demo: pid {workload.Pid} mapped {Units.Bytes(workload.Size)} with MADV_HUGEPAGE and wrote one byte every " +
                                  $"{Units.Bytes(spec.Stride!.Value)}; the kernel backed {Units.Bytes(workload.AnonHugePagesKb * 1024)} of it with THPs.\n");
        // The demo is a sweep of its own workload: the same code path a user's sweep takes.
        var live = new LiveScanRequest([workload.Pid], All: false, Cgroup: null, threads, Quiet: true, DotnetGc: false);
        SweepCommand.Run(new SweepCommand.SweepRequest(File: null, live, Thresholds: null, Csv: null, Prometheus: null, Json: json,
            Plot: null, Policy: RemapPolicy.Upstream, TargetShare: ThresholdAdvisor.DefaultTargetShare), streams, cancel);
        if (!json)
            streams.Out.WriteLine("\nNext: thptool sweep --pid PID for your own processes; thptool scan --pid PID -o scan.json to keep a scan.");
        return 0;
    }
}
