using System.Globalization;
using ThpTool.Lab.Cgroups;
using ThpTool.Lab.KernelKnobs;
using ThpTool.Scanner.Output;

namespace ThpTool.Lab;

/// <summary>
/// Every machine change is written down here before it is made and struck out once undone. SIGKILL, the OOM killer
/// or a power cut leave no chance to undo in-process; the next thptool that changes the machine then undoes what a
/// dead one left. /run is a tmpfs, cleared by the reboot that also resets the knobs, so no entry outlives its change.
/// </summary>
public static class RestoreJournal
{
    public const string Folder = "/run/thptool";
    const string Knob = "knob", Cgroup = "cgroup";
    static int _seq;

    /// <summary>A kernel setting about to be changed from <paramref name="original"/> to <paramref name="value"/>.</summary>
    public static string RecordKnob(string path, string original, string value) => Record(Knob, path, original, value);

    /// <summary>A cgroup about to be created.</summary>
    public static string RecordCgroup(string path) => Record(Cgroup, path, "", "");

    public static void Forget(string entry)
    {
        try { File.Delete(entry); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <summary>Undoes the changes of thptool processes that died without undoing them; returns what it did, a line each.</summary>
    public static IReadOnlyList<string> RecoverStale()
    {
        var done = new List<string>();
        if (!Directory.Exists(Folder)) return done;
        foreach (var entry in Directory.GetFiles(Folder, "*.undo"))
        {
            if (OwnerAlive(entry)) continue;
            var lines = File.ReadAllLines(entry);
            if (lines.Length == 4 && Undo(lines[0], lines[1], lines[2], lines[3]) is { } what)
                done.Add($"{what} (left by pid {OwnerPid(entry)}, which ended without undoing it)");
            Forget(entry);
        }
        return done;
    }

    static string Record(string kind, string target, string original, string value)
    {
        Directory.CreateDirectory(Folder);
        var entry = Path.Combine(Folder, $"{Environment.ProcessId}-{Interlocked.Increment(ref _seq)}.undo");
        new OutputPath(entry, "restore journal", Readers.OwnerOnly).WriteText(string.Join('\n', kind, target, original, value) + "\n");
        return entry;
    }

    static string? Undo(string kind, string target, string original, string value)
    {
        if (kind == Knob)
        {
            // Someone set it since: theirs is the value in force now, not ours to undo.
            if (KnobFile.Read(target) != value) return null;
            KnobFile.Write(target, original);
            return $"restored {target} to {original}";
        }
        if (kind == Cgroup && Directory.Exists(target))
            return MemoryCgroup.RemoveDirectory(target) is null ? $"removed {target}" : null;
        return null;
    }

    static int OwnerPid(string entry) =>
        int.Parse(Path.GetFileName(entry).Split('-')[0], CultureInfo.InvariantCulture);

    /// <summary>Alive and still a thptool: a recycled pid belongs to someone else, and the entry is stale.</summary>
    static bool OwnerAlive(string entry)
    {
        int pid = OwnerPid(entry);
        if (pid == Environment.ProcessId) return true;
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Contains("thptool", StringComparison.OrdinalIgnoreCase); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
    }
}
