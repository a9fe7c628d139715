using System.CommandLine;
using System.Text.Json;
using ThpTool.Cli.Experiments;
using ThpTool.Common.Text;
using ThpTool.Experiments;
using ThpTool.Experiments.Cgroups;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.KernelModel;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Cli.Commands;

/// <summary>
/// thptool repro: the shrinker series' reproduction on this kernel. Makes a memory cgroup and sets
/// max_ptes_none for each run; both are undone on every path.
/// </summary>
internal static class ReproCommand
{
    public static Command Create()
    {
        var limit = new Option<string>("--limit") { Description = "Memory limit of the experiment's cgroup (no swap).", DefaultValueFactory = _ => "20M" };
        var bytes = new Option<string>("--bytes") { Description = "MADV_HUGEPAGE memory the workload writes, a multiple of 2 MiB.", DefaultValueFactory = _ => "40M" };
        var stride = new Option<string>("--stride") { Description = "One byte is written every STRIDE bytes.", DefaultValueFactory = _ => "50K" };
        var maxPtesNone = CommonOptions.MaxPtesNone(450);
        var sweep = new Option<string>("--sweep") { Description = "Run once per max_ptes_none in this list instead, e.g. 400,450,470,500,511." };
        var json = CommonOptions.Json();
        var command = new Command("repro", "Watch the underused-THP shrinker save a sparse workload from its cgroup's OOM killer (or not).\n" +
                                           "Example: thptool repro --limit 20M --bytes 40M --stride 50K --sweep 400,450,470,500,511")
        {
            limit, bytes, stride, maxPtesNone, sweep, json,
        };
        command.SetAction((parse, ct) =>
        {
            var settings = new ReproSettings(ByteSize.Parse(parse.GetValue(limit)!, "--limit"), ByteSize.Parse(parse.GetValue(bytes)!, "--bytes"),
                                             ByteSize.Parse(parse.GetValue(stride)!, "--stride"));
            var thresholds = parse.GetValue(sweep) is { } list ? ThresholdSet.Parse(list, "--sweep") : [parse.GetValue(maxPtesNone)];
            return RunAsync(settings, thresholds, parse.GetValue(sweep) is not null, parse.GetValue(json), StandardStreams.Of(parse).Out, ct);
        });
        return command;
    }

    static async Task<int> RunAsync(ReproSettings settings, IReadOnlyList<int> thresholds, bool sweep, bool json, TextWriter stdout, CancellationToken ct)
    {
        settings.Validate(PhysicalMemory.Total());
        KernelSupport.Require("thptool repro");
        var controller = CgroupMounts.FindMemoryController();
        var results = new List<ReproResult>();
        foreach (var n in thresholds)
            results.Add(await Repro.RunAsync(controller, settings, n, ct));
        stdout.Write(!json ? ReproTable.Render(settings, controller.Version, results)
            : (sweep ? JsonSerializer.Serialize(results, ExperimentJson.Default.IReadOnlyListReproResult)
                     : JsonSerializer.Serialize(results[0], ExperimentJson.Default.ReproResult)) + "\n");
        return 0;
    }
}
