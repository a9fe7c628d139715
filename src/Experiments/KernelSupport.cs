using ThpTool.Common.Errors;
using ThpTool.Experiments.Interop;
using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments;

/// <summary>What an experiment needs from this kernel, checked before anything is changed.</summary>
public static class KernelSupport
{
    /// <summary>Why no MADV_HUGEPAGE THP can be made here, or null.</summary>
    public static string? ThpProblem()
    {
        if (!ThpSysfs.ThpAvailable)
            return $"this kernel has no transparent huge pages ({ThpSysfs.Enabled} missing)";
        if (ThpSysfs.Read().Enabled == "never")
            return $"transparent huge pages are disabled ({ThpSysfs.Enabled} is never)";
        try
        {
            using var probe = AlignedRegion.Map(Geometry.ThpSize, hugePages: true);
            return null;
        }
        catch (ErrnoException e)
        {
            return $"MADV_HUGEPAGE is refused here: {e.Message}";
        }
    }

    /// <summary>Why the underused-THP shrinker will not judge new THPs here, or null.</summary>
    public static string? ShrinkerProblem() => ThpSysfs.ReadInt(ThpSysfs.ShrinkUnderused) switch
    {
        null => $"this kernel has no underused-THP shrinker ({ThpSysfs.ShrinkUnderused} missing; Linux 6.12+)",
        1 => null,
        var v => $"{ThpSysfs.ShrinkUnderused} is {v}: new THPs are never queued for the underused check (write 1 to it first)",
    };

    /// <summary>Refuses, with the reason, unless root with THP and the shrinker available.</summary>
    public static void Require(string what)
    {
        KernelKnobs.Root.Require(what);
        if ((ThpProblem() ?? ShrinkerProblem()) is { } problem)
            throw new UserError(ExitCode.Unsupported, $"{what}: {problem}");
    }
}
