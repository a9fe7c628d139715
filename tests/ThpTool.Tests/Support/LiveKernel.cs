using Xunit;
using ThpTool.Lab.Experiments;

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
        if (KernelSupport.ThpProblem() is { } problem)
            Assert.Skip(problem);
    }

    public static void RequireShrinker()
    {
        if (KernelSupport.ShrinkerProblem() is { } problem)
            Assert.Skip(problem);
    }

    /// <summary>What repro and verify need: root, THP and the shrinker.</summary>
    public static void RequireExperiments()
    {
        RequireRoot();
        RequireThp();
        RequireShrinker();
    }
}

/// <summary>Tests that change kernel knobs, run the shrinker, or need their THPs left alone by those that do.</summary>
[CollectionDefinition(LiveKernel.Collection, DisableParallelization = true)]
public sealed class LiveKernelCollection;
