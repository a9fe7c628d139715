using Xunit;
using ThpTool.Lab;
using ThpTool.Lab.Interop;
using ThpTool.Lab.Workloads;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Tests.Support;

/// <summary>
/// Preconditions of tests that run against the machine's own kernel. A machine that cannot run one makes
/// it skip with the reason, never pass silently.
/// </summary>
public static class LiveKernel
{
    public const string Collection = "LiveKernel";

    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Skip("needs root: it changes kernel settings or reads other processes' memory maps");
    }

    public static void RequireThp()
    {
        if (!ThpSysfs.ThpAvailable)
            Assert.Skip($"this kernel has no transparent huge pages ({ThpSysfs.Enabled} missing)");
        if (ThpSysfs.Read().Enabled == "never")
            Assert.Skip($"transparent huge pages are disabled ({ThpSysfs.Enabled} is never)");
        if (HugePageAdviceError() is { } error)
            Assert.Skip($"MADV_HUGEPAGE is refused here: {error}");
    }

    public static void RequireShrinker()
    {
        if (!File.Exists(ThpSysfs.ShrinkUnderused))
            Assert.Skip($"this kernel has no underused-THP shrinker ({ThpSysfs.ShrinkUnderused} missing; Linux 6.12+)");
    }

    static string? HugePageAdviceError()
    {
        try
        {
            using var probe = AlignedRegion.Map(Geometry.ThpSize, hugePages: true);
            return null;
        }
        catch (ErrnoException e)
        {
            return e.Message;
        }
    }
}

/// <summary>Tests that change kernel knobs, run the shrinker, or need their THPs left alone by those that do.</summary>
[CollectionDefinition(LiveKernel.Collection, DisableParallelization = true)]
public sealed class LiveKernelCollection;
