using System.Text.Json;
using ThpTool.Lab.Interop;
using ThpTool.Scanner.Errors;

namespace ThpTool.Lab.Workloads;

/// <summary>Builds a workload inside this process, reports it as one JSON line, and holds it until stdin closes.</summary>
public static class Workload
{
    public static async Task<int> RunAsync(WorkloadSpec spec, TextWriter output, Stream input, CancellationToken ct)
    {
        spec.Validate();
        try
        {
            using var region = AlignedRegion.Map(spec.Size, hugePages: !spec.NoHugepage);
            var contents = Fill(region, spec);
            if (spec.Partial > 0)
                DiscardTailOfFirstThp(region, contents, spec.Partial);
            if (spec.Mlock)
                region.Lock();
            using var uffd = spec.Uffd is { } mode ? UffdRegistration.Register(region, mode) : null;
            using var child = spec.Fork ? SleepingChild.Fork() : null;

            var address = (ulong)region.Address;
            var smaps = SmapsRegion.ReadSelf(address, (ulong)spec.Size);
            var report = new WorkloadReport(Environment.ProcessId, child?.Pid, address, (ulong)spec.Size,
                contents.Thps(address), smaps?.AnonHugePagesKb ?? 0);
            await output.WriteLineAsync(JsonSerializer.Serialize(report, WorkloadJson.Default.WorkloadReport));
            await output.FlushAsync(ct);
            await WaitForEndOfInput(input, ct);
            return (int)ExitCode.Success;
        }
        catch (ErrnoException e)
        {
            throw new UserError(e.Errno == Libc.EPERM ? ExitCode.PermissionDenied : ExitCode.Unsupported, $"workload: {e.Message}");
        }
    }

    static RegionContents Fill(AlignedRegion region, WorkloadSpec spec)
    {
        // A write fault per 2 MiB allocates the whole THP, zeroed; the pattern then lands in it.
        for (long thp = 0; thp < spec.ThpCount; thp++)
            region.Write(thp * Geometry.ThpSize, 0);
        var contents = new RegionContents(spec.ThpCount);
        foreach (var b in FillPlan.Bytes(spec))
        {
            region.Write(b.Offset, 1);
            contents.MarkNonZero(b.Offset);
        }
        return contents;
    }

    static void DiscardTailOfFirstThp(AlignedRegion region, RegionContents contents, int subpages)
    {
        long length = (long)subpages * Geometry.PageSize;
        long offset = Geometry.ThpSize - length;
        region.Discard(offset, length);
        contents.MarkUnmapped(offset, length);
    }

    static async Task WaitForEndOfInput(Stream input, CancellationToken ct)
    {
        // Pipe reads ignore the token once blocked, so race them against it instead.
        var reading = Task.Run(() =>
        {
            var buffer = new byte[256];
            while (input.Read(buffer) > 0) { }
        }, CancellationToken.None);
        var cancelled = Task.Delay(Timeout.Infinite, ct);
        await Task.WhenAny(reading, cancelled);
    }
}
