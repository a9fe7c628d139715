using Xunit;
using ThpTool.Experiments;
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
        if (KernelSupport.ThpProblem() is { } problem)
            Assert.Skip(problem);
    }

    public static void RequireShrinker()
    {
        if (KernelSupport.ShrinkerProblem() is { } problem)
            Assert.Skip(problem);
    }

    /// <summary>
    /// The folio census rules lookups out only while no THP anywhere on the machine is mapped by PTEs alone and no
    /// mTHP exists; another process can break that, and a test of the census cannot run then.
    /// </summary>
    public static void RequireQuietFolioCensus()
    {
        if (LargeFolioCensus.Read() is { AllPmdMapped: false } census)
            Assert.Skip($"another process on this machine maps a THP by PTEs or holds mTHP, so the census rules nothing out: {census}");
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
public sealed class LiveKernelCollection : ICollectionFixture<MachineWideLiveLock>;

/// <summary>
/// Serialises the live collection across test runs, not only within one: two checkouts tested at once on one
/// machine would otherwise change the same knobs and run the shrinker over each other's workloads. The lock is
/// an advisory lock on a file (.NET takes flock for FileShare.None), released by the kernel if the run dies.
/// </summary>
public sealed class MachineWideLiveLock : IDisposable
{
    private static readonly string LockPath = Path.Combine(Path.GetTempPath(), "thptool-live-tests.lock");
    private readonly FileStream lockFile;

    public MachineWideLiveLock()
    {
        while (true)
        {
            try
            {
                lockFile = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return;
            }
            catch (IOException)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(200)); // another run holds it; it is released when that run ends
            }
        }
    }

    public void Dispose() => lockFile.Dispose();
}
