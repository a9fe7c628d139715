using ThpTool.Lab.Workloads;

namespace ThpTool.Lab.Experiments;

/// <summary>One known workload of <c>thptool verify</c>: each one exercises a different rule of the model.</summary>
public sealed record VerifyCase(string Name, WorkloadSpec Spec)
{
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
        ];
    }

    /// <summary>
    /// Non-zero subpage counts that leave N+1, N and N-1 zero subpages (split, kept, kept: the rule is
    /// strict), plus an all-zero and a full THP.
    /// </summary>
    static int[] EdgeFills(int n) =>
        new[] { 0, Geometry.SubpagesPerThp - n - 1, Geometry.SubpagesPerThp - n, Geometry.SubpagesPerThp - n + 1, Geometry.SubpagesPerThp }
            .Where(f => f is >= 0 and <= Geometry.SubpagesPerThp).Distinct().ToArray();
}
