using System.Globalization;
using ThpTool.Common.Errors;
using ThpTool.Experiments.Interop;
using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Restore;

namespace ThpTool.Experiments.Cgroups;

/// <summary>
/// A memory cgroup this process made for one experiment, named thptool-repro-PID-N so a leaked one is
/// recognisable. Removing it kills whatever is still inside, waits for the cgroup to empty and removes
/// the directory, on Dispose or through <see cref="ExitGuard"/>.
/// </summary>
public sealed class MemoryCgroup : IDisposable, IMachineChange
{
    public const string NamePrefix = "thptool-repro-";
    static readonly TimeSpan EmptyTimeout = TimeSpan.FromSeconds(5);
    static int made;

    readonly IMemoryController controller;
    readonly object gate = new();
    bool removed;

    readonly string journal;

    MemoryCgroup(IMemoryController controller, string path, string journal) =>
        (this.controller, Path, this.journal) = (controller, path, journal);

    public string Path { get; }
    public string ProcsFile => System.IO.Path.Combine(Path, "cgroup.procs");
    public string Description => $"cgroup {Path}";

    public static MemoryCgroup Create(IMemoryController controller, long limitBytes)
    {
        Root.Require("making a memory cgroup");
        ExitGuard.RecoverStale();
        var name = $"{NamePrefix}{Environment.ProcessId}-{Interlocked.Increment(ref made)}";
        var path = System.IO.Path.Combine(controller.Root, name);
        // The pid in the name makes a clash a leftover of an earlier process: reusing it would mix two experiments.
        if (Directory.Exists(path))
            throw new UserError(ExitCode.IoError, $"{path} already exists: a leftover of an earlier run; remove it with rmdir");
        var journal = RestoreJournal.RecordCgroup(path);
        Directory.CreateDirectory(path);
        var cgroup = new MemoryCgroup(controller, path, journal);
        ExitGuard.Register(cgroup);
        try
        {
            controller.Limit(path, limitBytes);
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
        return cgroup;
    }

    /// <summary>Whether a cgroup's name is one that process <paramref name="pid"/> gave it.</summary>
    public static bool IsNameOf(string name, int pid)
    {
        var prefix = $"{NamePrefix}{pid.ToString(CultureInfo.InvariantCulture)}-";
        return name.StartsWith(prefix, StringComparison.Ordinal) && name.Length > prefix.Length && name.Length <= prefix.Length + 9 &&
               name.AsSpan(prefix.Length).ContainsAnyExceptInRange('0', '9') is false;
    }

    public CgroupMemoryStats ReadStats() => controller.ReadStats(Path);

    public IReadOnlyList<int> Pids() => PidsIn(Path);

    static int[] PidsIn(string path) =>
        CgroupFiles.Read(path, "cgroup.procs").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();

    public void Dispose() => Undo();

    /// <summary>Under a lock, so a caller that comes second waits until the cgroup is really gone.</summary>
    public void Undo()
    {
        lock (gate)
        {
            if (removed)
                return;
            removed = true;
            ExitGuard.Unregister(this);
            if (RemoveDirectory(Path) is { } problem)
                Console.Error.WriteLine($"thptool: could not remove {Path}: {problem}; remove it with rmdir once its processes are gone");
            else
                RestoreJournal.Forget(journal);
        }
    }

    /// <summary>Null when removed. A cgroup can only go once no task is left in it, so kill and wait first.</summary>
    internal static string? RemoveDirectory(string path)
    {
        var deadline = DateTime.UtcNow + EmptyTimeout;
        while (Directory.Exists(path))
        {
            try
            {
                // Only processes this experiment put here can be inside: the cgroup is ours alone.
                foreach (var pid in PidsIn(path))
                    Libc.Kill(pid, Libc.SIGKILL);
                Directory.Delete(path);
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or UserError or ErrnoException)
            {
                if (DateTime.UtcNow > deadline)
                    return e.Message;
            }
            Thread.Sleep(20);
        }
        return null;
    }
}
