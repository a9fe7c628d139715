namespace ThpTool.Scanner.KernelModel;

/// <summary>What a split does with a zero subpage's page-table entry. Memory freed is the same under both.</summary>
public enum RemapPolicy
{
    /// <summary>Mainline 6.12+: map the shared zero page everywhere (carrying the uffd-wp bit).</summary>
    Upstream,
    /// <summary>The first series (2024): leave pte_none, except uffd-armed VMAs, which must get the zero page.</summary>
    V1,
}
