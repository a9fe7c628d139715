using System.CommandLine;
using ThpTool.Cli.Progress;
using ThpTool.Common.Errors;
using ThpTool.Common.Text;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Cgroups;
using ThpTool.Scanner.ScanFiles;
using ThpTool.Scanner.Scanning;

namespace ThpTool.Cli.Commands;

/// <summary>What to scan live, as every scanning command reads it from its options.</summary>
internal sealed record LiveScanRequest(int[] Pids, bool All, string? Cgroup, int Threads, bool Quiet, bool DotnetGc,
                                      double? Sample = null, ulong? Seed = null, string? MaxRate = null)
{
    public bool Any => Pids.Length > 0 || All || Cgroup is not null;
}

/// <summary>The one way commands scan live processes: the same options, validated alike.</summary>
internal sealed class LiveScan
{
    readonly Option<int[]> pids = CommonOptions.Pids();
    readonly Option<bool> all = CommonOptions.All();
    readonly Option<string?> cgroup = CommonOptions.Cgroup();
    readonly Option<int> threads = CommonOptions.Threads();
    readonly Option<bool> quiet = CommonOptions.Quiet();
    readonly Option<bool> dotnetGc = CommonOptions.DotnetGc();
    readonly Option<double?> sample = CommonOptions.Sample();
    readonly Option<ulong?> seed = CommonOptions.Seed();
    readonly Option<string?> maxRate = CommonOptions.MaxRate();

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { pids, all, cgroup, threads, quiet, dotnetGc, sample, seed, maxRate })
            command.Options.Add(option);
    }

    public LiveScanRequest Read(ParseResult parse) => new(
        parse.GetValue(pids) ?? [], parse.GetValue(all), parse.GetValue(cgroup), parse.GetValue(threads), parse.GetValue(quiet), parse.GetValue(dotnetGc),
        parse.GetValue(sample), parse.GetValue(seed), parse.GetValue(maxRate));

    public static ScanFile Run(LiveScanRequest request, StandardStreams streams, CancellationToken cancel)
    {
        if ((request.Pids.Length > 0 ? 1 : 0) + (request.All ? 1 : 0) + (request.Cgroup is null ? 0 : 1) > 1)
            throw new UserError(ExitCode.Usage, "give one of --pid, --all and --cgroup");
        if (!request.Any) throw new UserError(ExitCode.Usage, "give --pid, --all or --cgroup (or a scan file)");
        if (request.Threads < 1) throw new UserError(ExitCode.Usage, "--threads must be at least 1");
        if (request.Sample is <= 0 or > 1 or double.NaN)
            throw new UserError(ExitCode.Usage, $"--sample must be above 0 and at most 1 (0.05 reads 5% of the THPs), not {request.Sample}");
        if (request.Seed is not null && request.Sample is null) throw new UserError(ExitCode.Usage, "--seed needs --sample");
        long? maxRate = request.MaxRate is { } rate ? ByteSize.Parse(rate, "--max-rate") : null;
        var targets = request.All ? ProcessList.All()
                    : request.Cgroup is { } path ? CgroupTree.Pids(CgroupTree.Resolve(path, CgroupMount.OfThisHost()))
                    : request.Pids;
        if (targets.Count == 0) throw new UserError(ExitCode.NoSuchProcess, $"cgroup {request.Cgroup} has no processes");
        var options = new ScanOptions
        {
            Pids = targets,
            Discovered = request.All || request.Cgroup is not null,
            Threads = request.Threads,
            InduceDotnetGc = request.DotnetGc,
            // Without --seed the draw is random, and recorded in the scan so its sweep can be repeated.
            Sample = request.Sample is { } fraction
                ? new ContentSample { Fraction = fraction, Seed = request.Seed ?? (ulong)Random.Shared.NextInt64() }
                : null,
            MaxReadRate = maxRate,
        };
        return ScanProgressDisplay.Run(options, request.Quiet, streams, cancel);
    }
}
