using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Experiments.Cgroups;
using ThpTool.Experiments.KernelKnobs;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments.Restore;

/// <summary>
/// Every machine change is written down here before it is made and struck out once undone. SIGKILL, the OOM killer
/// or a power cut leave no chance to undo in-process; the next thptool that changes the machine then undoes what a
/// dead one left. /run is a tmpfs, cleared by the reboot that also resets the knobs, so no entry outlives its change.
/// Root acts on what it reads here, so the folder and each entry are trusted only when root alone could have written
/// them, and an entry only for the changes this tool makes (<see cref="JournalTargets"/>).
/// </summary>
public static class RestoreJournal
{
    public const string Folder = "/run/thptool";
    const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    static int seq;

    /// <summary>A kernel setting about to be changed from <paramref name="original"/> to <paramref name="value"/>.</summary>
    public static string RecordKnob(string path, string original, string value) => Record(Folder, JournalEntry.Knob, path, original, value);

    /// <summary>A cgroup about to be created.</summary>
    public static string RecordCgroup(string path) => Record(Folder, JournalEntry.Cgroup, path, "", "");

    public static void Forget(string entry)
    {
        try { File.Delete(entry); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>
    /// Undoes the changes of thptool processes that died without undoing them. Returns a line for each thing done
    /// and for each entry left alone because it cannot be trusted; nothing in the folder makes this fail.
    /// </summary>
    public static IReadOnlyList<string> RecoverStale() => RecoverStale(Folder);

    internal static IReadOnlyList<string> RecoverStale(string folder)
    {
        if (!Path.Exists(folder) && new DirectoryInfo(folder).LinkTarget is null) return [];
        if (JournalEntry.FolderProblem(folder) is { } problem) return [$"left the restore journal {folder} alone: {problem}"];
        var lines = new List<string>();
        foreach (var path in Directory.EnumerateFileSystemEntries(folder, "*.undo").Order(StringComparer.Ordinal))
            if (Recover(path) is { } line) lines.Add(line);
        return lines;
    }

    internal static string Record(string folder, string kind, string target, string original, string value)
    {
        TrustedFolder(folder);
        var self = Environment.ProcessId;
        var start = ProcessStat.StartTimeIfAlive(self) ?? throw new UserError(ExitCode.IoError, "cannot read this process's start time from /proc/self/stat");
        var entry = Path.Combine(folder, JournalEntry.NameFor(self, start, Interlocked.Increment(ref seq)));
        new OutputPath(entry, "restore journal", Readers.OwnerOnly).WriteText(string.Join('\n', kind, target, original, value) + "\n");
        return entry;
    }

    /// <summary>Made 0700 whatever the umask; one that exists must pass the same checks as when it is read.</summary>
    static void TrustedFolder(string folder)
    {
        if (!Path.Exists(folder) && new DirectoryInfo(folder).LinkTarget is null)
        {
            Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
            File.SetUnixFileMode(folder, OwnerOnly | UnixFileMode.UserExecute);
        }
        if (JournalEntry.FolderProblem(folder) is { } problem)
            throw new UserError(ExitCode.PermissionDenied, $"the restore journal {folder} cannot be trusted ({problem}): remove it; nothing was changed");
    }

    static string? Recover(string path)
    {
        if (JournalEntry.Owner(path) is not var (pid, start))
            return $"left {path} alone: not a journal entry (PID-STARTTIME-N.undo)";
        if (JournalEntry.Alive(pid, start)) return null;
        if (JournalEntry.FileProblem(path) is { } untrusted) return $"left {path} alone: {untrusted}";
        JournalEntry entry;
        try { entry = JournalEntry.Read(path, pid, start); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return $"left {path} alone: {e.Message}";
        }
        var problem = entry.Kind == JournalEntry.Knob
            ? JournalTargets.KnobProblem(entry.Target, entry.Original, entry.Value)
            : JournalTargets.CgroupProblem(entry.Target, pid);
        if (problem is not null) return $"left {path} alone: {problem}";
        try
        {
            var done = Undo(entry);
            Forget(path);
            return done is null ? null : $"{done} (left by pid {pid}, which ended without undoing it)";
        }
        catch (UserError e)
        {
            return $"left {path} alone: {e.Message}";
        }
    }

    static string? Undo(JournalEntry entry)
    {
        if (entry.Kind == JournalEntry.Knob)
        {
            // Someone set it since: theirs is the value in force now, not ours to undo.
            if (KnobFile.Read(entry.Target) != entry.Value) return null;
            KnobFile.Write(entry.Target, entry.Original);
            return $"restored {entry.Target} to {entry.Original}";
        }
        if (!Directory.Exists(entry.Target)) return null;
        return MemoryCgroup.RemoveDirectory(entry.Target) is { } problem
            ? throw new UserError(ExitCode.IoError, $"could not remove {entry.Target}: {problem}")
            : $"removed {entry.Target}";
    }
}
