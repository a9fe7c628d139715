using System.Globalization;
using System.Text.RegularExpressions;
using ThpTool.Common.Output;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments.Restore;

/// <summary>
/// One restore journal entry: its owner (pid and start time, in the name PID-STARTTIME-N.undo) and the change it
/// records (four lines: kind, target, original value, value set). Nothing in it is believed before it is checked.
/// </summary>
internal sealed partial record JournalEntry(string Path, int OwnerPid, long OwnerStart, string Kind, string Target, string Original, string Value)
{
    public const string Knob = "knob", Cgroup = "cgroup";
    /// <summary>An entry is four short lines; anything longer is not one.</summary>
    const int MaxBytes = 4096;

    [GeneratedRegex(@"^([0-9]{1,9})-([0-9]{1,18})-[0-9]{1,9}\.undo$")]
    private static partial Regex NamePattern();

    public static string NameFor(int pid, long start, int seq) => $"{pid}-{start}-{seq}.undo";

    /// <summary>The owner named by an entry's file name, or null when the name is not one this tool gives.</summary>
    public static (int Pid, long Start)? Owner(string path)
    {
        var match = NamePattern().Match(System.IO.Path.GetFileName(path));
        return match.Success &&
               int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0 &&
               long.TryParse(match.Groups[2].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long start)
            ? (pid, start) : null;
    }

    /// <summary>The owner is still running: the same pid with the same start time (a recycled pid has another).</summary>
    public static bool Alive(int pid, long start) => ProcessStat.StartTimeIfAlive(pid) == start;

    /// <summary>Reads an entry that passed <see cref="FileProblem"/>; throws <see cref="FormatException"/> when it is not four lines.</summary>
    public static JournalEntry Read(string path, int pid, long start)
    {
        var text = File.ReadAllText(path);
        var lines = text.EndsWith('\n') ? text[..^1].Split('\n') : [];
        if (lines.Length != 4 || lines[0] is not (Knob or Cgroup))
            throw new FormatException("not four lines starting with 'knob' or 'cgroup'");
        return new JournalEntry(path, pid, start, lines[0], lines[1], lines[2], lines[3]);
    }

    /// <summary>Why the journal folder cannot be trusted, or null: a real directory of root's that no one else may write.</summary>
    public static string? FolderProblem(string folder) => RootOnly.Problem(folder, directory: true);

    /// <summary>Why an entry file cannot be trusted, or null: a short regular file of root's that no one else may write.</summary>
    public static string? FileProblem(string path) =>
        RootOnly.Problem(path, directory: false) ?? (new FileInfo(path).Length > MaxBytes ? $"it is larger than {MaxBytes} bytes" : null);
}
