namespace ThpTool.Scanner.Procfs;

/// <summary>
/// What the kernel's counters say about every anonymous large folio in the system, read just before a process is
/// scanned. They tell discovery which kpageflags reads cannot find anything (docs/performance.md, "Regions without
/// THPs"); a folio that changes during the scan is missed or seen as it was, as with any snapshot.
/// </summary>
public readonly record struct LargeFolioCensus(bool OnlyPmdSized, bool AllPmdMapped)
{
    /// <summary>Anonymous PMD-sized folios mapped by at least one PMD somewhere, in THPs.</summary>
    public const string PmdMappedThps = "nr_anon_transparent_hugepages";

    /// <summary>Nothing known: every lookup is made.</summary>
    public static readonly LargeFolioCensus Unknown = new(false, false);

    /// <summary>
    /// <see cref="AllPmdMapped"/> holds when the PMD size's stats/nr_anon (every anonymous PMD-sized folio) equals
    /// vmstat's PMD-mapped count, read before and after it so that a THP created in between cannot make them agree.
    /// </summary>
    public static LargeFolioCensus Read()
    {
        if (!ThpSysfs.AnonFoliosOnlyPmdSized()) return Unknown;
        long? before = PmdMapped();
        int? all = ThpSysfs.ReadInt(ThpSysfs.SizeAnonFolios(ThpSysfs.PmdSizeKb));
        long? after = PmdMapped();
        return new(true, all is not null && before == all && after == all);
    }

    static long? PmdMapped()
    {
        try { return Vmstat.Read().TryGetValue(PmdMappedThps, out var v) ? v : null; }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
