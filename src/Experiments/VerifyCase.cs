using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments;

/// <summary>
/// One known workload of <c>thptool verify</c>: each one exercises a different rule of the model. With
/// <paramref name="MthpKb"/>, the workload faults its memory while only that mTHP size is enabled.
/// </summary>
public sealed record VerifyCase(string Name, WorkloadSpec Spec, int? MthpKb = null)
{
    const int PartialMthpKb = 64;

    public static IReadOnlyList<VerifyCase> For(int maxPtesNone)
    {
        var edge = EdgeFills(maxPtesNone);
        WorkloadSpec Fills(IReadOnlyList<int> fills) => new() { Size = 2 * fills.Count * Geometry.ThpSize, Fills = fills };
        return
        [
            new("sparse 50K stride", new WorkloadSpec { Size = 8 * Geometry.ThpSize, Stride = 50 * 1024 }),
            new($"fills around {maxPtesNone}", Fills(edge)),
            new("mlocked", Fills([0]) with { Mlock = true }),
            new("userfaultfd", Fills(edge) with { Uffd = UffdMode.Missing }),
            new("forked", Fills(edge) with { Fork = true }),
            // Kept by the rule (N zero subpages at most), so only the partial mapping can make the pass split it.
            new("partially mapped", Fills([Math.Max(0, Geometry.SubpagesPerThp - maxPtesNone)]) with { Size = 4 * Geometry.ThpSize, Partial = 64 }),
            .. PartialMthp(),
        ];
    }

    /// <summary>
    /// 64 KiB folios, one page in every third written, a 4 KiB hole in every other folio: split at every pass whatever
    /// N. Only where the kernel has per-size knobs.
    /// </summary>
    static IEnumerable<VerifyCase> PartialMthp()
    {
        if (!File.Exists(ThpSysfs.SizeEnabled(PartialMthpKb)) || !File.Exists(ThpSysfs.SizeEnabled(ThpSysfs.PmdSizeKb)))
            yield break;
        int folioPages = PartialMthpKb * 1024 / Geometry.PageSize;
        var holes = Enumerable.Range(0, Geometry.SubpagesPerThp / folioPages).Where(f => f % 2 == 0).Select(f => f * folioPages + f % folioPages).ToArray();
        yield return new($"partially mapped {PartialMthpKb} KiB mTHP",
            new WorkloadSpec { Size = 4 * Geometry.ThpSize, Stride = 3 * folioPages * Geometry.PageSize, Drops = new SubpageDrops([holes]) }, PartialMthpKb);
    }

    /// <summary>
    /// Non-zero subpage counts that leave N+1, N and N-1 zero subpages (split, kept, kept: the rule is
    /// strict), plus an all-zero and a full THP.
    /// </summary>
    static int[] EdgeFills(int n) =>
        new[] { 0, Geometry.SubpagesPerThp - n - 1, Geometry.SubpagesPerThp - n, Geometry.SubpagesPerThp - n + 1, Geometry.SubpagesPerThp }
            .Where(f => f is >= 0 and <= Geometry.SubpagesPerThp).Distinct().ToArray();
}
