using System.CommandLine;
using ThpTool.Common.Text;
using ThpTool.Experiments.Workloads;

namespace ThpTool.Cli.Commands;

/// <summary>
/// `thptool workload`: a process with known THP contents, for the end-to-end tests, demo, verify and repro.
/// Hidden because it is the lab's instrument, not something a user measures with.
/// </summary>
public static class WorkloadCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "Bytes to map, a multiple of 2 MiB (suffixes K, M, G).", Required = true };
        var stride = new Option<string>("--stride") { Description = "Write byte value 1 every STRIDE bytes from the start." };
        var fills = new Option<string>("--fills") { Description = "Comma-separated non-zero subpage counts; THP i gets fills[i % n]." };
        var mlock = new Option<bool>("--mlock") { Description = "mlock the region after filling it." };
        var uffd = new Option<string>("--uffd") { Description = "Register the region with userfaultfd in this mode." };
        uffd.AcceptOnlyFromAmong("missing", "wp", "minor");
        var fork = new Option<bool>("--fork") { Description = "Fork a sleeping child that shares the THPs copy-on-write." };
        var forkWrite = new Option<bool>("--fork-write")
        {
            Description = "As --fork, and the child writes a byte into the first subpage of every THP: its PMDs split copy-on-write.",
            Hidden = true,
        };
        var contentSeed = new Option<int?>("--content-seed") { Description = "Random contents from this seed: each THP its own share of non-zero subpages.", Hidden = true };
        var drops = new Option<string>("--drops")
        {
            Description = "Subpages to MADV_DONTNEED in each THP after filling it: groups per THP split by '/', e.g. 10,12/1-9/ (THP i gets group i % n).",
            Hidden = true,
        };
        var lazyFree = new Option<bool>("--lazy-free") { Description = "Give the --drops subpages back with MADV_FREE instead.", Hidden = true };
        var partial = new Option<int>("--partial") { Description = "MADV_DONTNEED the last K subpages of the first THP." };
        var misalign = new Option<bool>("--misalign") { Description = "mremap the region 4 KiB off 2 MiB alignment: THPs stay whole but PTE-mapped." };
        var cgroupProcs = new Option<string>("--cgroup-procs") { Description = "Join this cgroup.procs file before mapping memory.", Hidden = true };
        var noHugepage = new Option<bool>("--no-hugepage") { Description = "Advise MADV_NOHUGEPAGE: a heap of 4 KiB pages (--stride 4096 maps every page)." };
        var spread = new Option<string>("--spread")
        {
            Description = "Put one THP every SPREAD bytes of a MAP_NORESERVE reservation (a sparse address space; suffixes K, M, G).",
        };
        var extraVmas = new Option<int>("--extra-vmas") { Description = "Also map N one-page anonymous VMAs, each written once." };
        var shmem = new Option<bool>("--shmem") { Description = "Map MAP_SHARED|MAP_ANONYMOUS (shmem): THPs only as shmem_enabled allows, never judged by the shrinker." };

        var command = new Command("workload", "Map and fill memory with known THP contents, print one JSON line, hold it until stdin closes.")
        {
            Hidden = true,
        };
        foreach (var option in new Option[] { size, stride, fills, mlock, uffd, fork, forkWrite, partial, misalign, cgroupProcs, noHugepage, shmem, contentSeed, drops, lazyFree, spread, extraVmas })
            command.Options.Add(option);

        command.SetAction((parseResult, ct) =>
        {
            var dropText = parseResult.GetValue(drops);
            var spec = WorkloadSpec.FromOptions(
                parseResult.GetValue(size), parseResult.GetValue(stride), parseResult.GetValue(fills),
                parseResult.GetValue(mlock), parseResult.GetValue(uffd), parseResult.GetValue(fork), parseResult.GetValue(partial),
                parseResult.GetValue(misalign), parseResult.GetValue(cgroupProcs), parseResult.GetValue(contentSeed))
                with
                {
                    ForkWrite = parseResult.GetValue(forkWrite), NoHugepage = parseResult.GetValue(noHugepage), Shmem = parseResult.GetValue(shmem),
                    Drops = dropText is null ? null : SubpageDrops.Parse(dropText),
                    LazyFree = parseResult.GetValue(lazyFree),
                    Spread = parseResult.GetValue(spread) is { } s ? ByteSize.Parse(s, "--spread") : null,
                    ExtraVmas = parseResult.GetValue(extraVmas),
                };
            // A workload is always a process of its own (its memory is what gets measured): its stdin is the process's.
            return Workload.RunAsync(spec, parseResult.InvocationConfiguration.Output, Console.OpenStandardInput(), ct);
        });
        return command;
    }
}
