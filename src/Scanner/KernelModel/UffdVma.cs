namespace ThpTool.Scanner.KernelModel;

/// <summary>
/// A userfaultfd-armed VMA holding split candidates: its zero subpages must map the shared zero page, never
/// pte_none, or the uffd user (QEMU postcopy, say) sees spurious missing faults.
/// </summary>
public sealed record UffdVma(int Pid, string Comm, ulong Start, ulong End, string Path, IReadOnlyList<string> Flags,
                             int Thps, IReadOnlyList<int> Thresholds, IReadOnlyList<int> SplitsAtThreshold);
