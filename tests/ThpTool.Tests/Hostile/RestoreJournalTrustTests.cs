using System.Diagnostics;
using System.Runtime.InteropServices;
using ThpTool.Common.Errors;
using ThpTool.Experiments.Cgroups;
using ThpTool.Experiments.KernelKnobs;
using ThpTool.Experiments.Restore;
using ThpTool.Scanner.Procfs;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Hostile;

/// <summary>
/// The restore journal as someone else might have left it: entries planted in a journal folder of the test's own,
/// read by the same code that reads /run/thptool. Nothing an entry names may be touched unless root wrote it and it
/// names a change this tool makes.
/// </summary>
[Collection(LiveKernel.Collection)]
[Live]
public sealed partial class RestoreJournalTrustTests : IDisposable
{
    const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    readonly string folder = Path.Combine(Path.GetTempPath(), $"thptool-journal-test-{Guid.NewGuid():N}");
    readonly List<Process> sleepers = [];
    readonly List<string> cgroups = [];
    static readonly int Gone = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max")) + 1;

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);

    static void RequireRootAndThp()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
    }

    string Plant(string name, string kind, string target, string original, string value, UnixFileMode mode = Private)
    {
        Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, $"{kind}\n{target}\n{original}\n{value}\n");
        File.SetUnixFileMode(path, mode);
        return path;
    }

    static string Knob(string path) => ThpSysfs.Selected(File.ReadAllText(path));

    Process Sleeper(string? argv0 = null)
    {
        var start = new ProcessStartInfo("bash", ["-c", $"exec -a '{argv0 ?? "sleep"}' sleep 300"]);
        var process = Process.Start(start)!;
        sleepers.Add(process);
        return process;
    }

    string MemoryCgroupNamed(string name)
    {
        var path = Path.Combine(CgroupMounts.FindMemoryController().Root, name);
        Directory.CreateDirectory(path);
        cgroups.Add(path);
        return path;
    }

    [Fact]
    public void UnderUmask000TheFolderIsMade0700AndEntries0600()
    {
        LiveKernel.RequireRoot();
        uint old = Umask(0);
        string entry;
        try { entry = RestoreJournal.Record(folder, "knob", ThpSysfs.MaxPtesNone, "511", "300"); }
        finally { Umask(old); }
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(folder));
        Assert.Equal(Private, File.GetUnixFileMode(entry));
        Assert.Matches($"^{Environment.ProcessId}-[0-9]+-[0-9]+\\.undo$", Path.GetFileName(entry));
    }

    [Fact]
    public void AKnobEntryForAFileOutsideTheThpTreeIsReportedAndTheFileLeftAlone()
    {
        LiveKernel.RequireRoot();
        var victim = Path.Combine(Path.GetTempPath(), $"thptool-victim-{Guid.NewGuid():N}");
        File.WriteAllText(victim, "|/bin/true\n");
        try
        {
            var outside = Plant($"{Gone}-1-1.undo", "knob", victim, "|/tmp/evil %p", "|/bin/true");
            var climbing = Plant($"{Gone}-1-2.undo", "knob", $"{ThpSysfs.Root}/../../../../proc/sys/kernel/core_pattern",
                                 "|/tmp/evil %p", File.ReadAllText("/proc/sys/kernel/core_pattern").Trim());
            var corePattern = File.ReadAllText("/proc/sys/kernel/core_pattern");

            var lines = RestoreJournal.RecoverStale(folder);

            Assert.Equal("|/bin/true\n", File.ReadAllText(victim));
            Assert.Equal(corePattern, File.ReadAllText("/proc/sys/kernel/core_pattern"));
            Assert.Contains(lines, l => l == $"left {outside} alone: {victim} is not a THP knob under {ThpSysfs.Root}");
            Assert.Contains(lines, l => l.StartsWith($"left {climbing} alone: ", StringComparison.Ordinal) && l.Contains("is not a THP knob"));
            Assert.True(File.Exists(outside) && File.Exists(climbing));
        }
        finally { File.Delete(victim); }
    }

    [Fact]
    public void AThpKnobEntryWithAValueTheKnobDoesNotTakeOrAKnobThisKernelLacksIsReported()
    {
        RequireRootAndThp();
        var enabled = Knob(ThpSysfs.Enabled);
        var bogus = Plant($"{Gone}-1-1.undo", "knob", ThpSysfs.Enabled, "always\nnever", enabled);
        var missing = Plant($"{Gone}-1-2.undo", "knob", $"{ThpSysfs.Root}/hugepages-999kB/enabled", "always", "never");
        var text = Plant($"{Gone}-1-3.undo", "knob", ThpSysfs.MaxPtesNone, "1; reboot", File.ReadAllText(ThpSysfs.MaxPtesNone).Trim());

        var lines = RestoreJournal.RecoverStale(folder);

        Assert.Equal(enabled, Knob(ThpSysfs.Enabled));
        Assert.Equal(3, lines.Count);
        Assert.StartsWith($"left {bogus} alone: ", lines[0], StringComparison.Ordinal);
        Assert.Equal($"left {missing} alone: {ThpSysfs.Root}/hugepages-999kB/enabled does not exist", lines[1]);
        Assert.Equal($"left {text} alone: {ThpSysfs.MaxPtesNone} does not take the value '1; reboot'", lines[2]);
    }

    [Fact]
    public void ACgroupEntryForADirectoryThptoolDidNotMakeKillsNothing()
    {
        RequireRootAndThp();
        var other = MemoryCgroupNamed($"journal-test-{Environment.ProcessId}");
        var sleeper = Sleeper();
        File.WriteAllText(Path.Combine(other, "cgroup.procs"), sleeper.Id.ToString());
        // A tool-named directory outside the cgroup mount, whose cgroup.procs lists the same process.
        var fake = Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"thptool-fake-{Guid.NewGuid():N}")).FullName,
                                $"{MemoryCgroup.NamePrefix}{Gone}-1");
        Directory.CreateDirectory(fake);
        File.WriteAllText(Path.Combine(fake, "cgroup.procs"), $"{sleeper.Id}\n");
        try
        {
            var foreign = Plant($"{Gone}-1-1.undo", "cgroup", other, "", "");
            var outside = Plant($"{Gone}-1-2.undo", "cgroup", fake, "", "");

            var lines = RestoreJournal.RecoverStale(folder);

            Assert.False(sleeper.HasExited);
            Assert.True(Directory.Exists(other) && Directory.Exists(fake));
            Assert.Contains($"left {foreign} alone: {other} is not named as thptool names its cgroups ({MemoryCgroup.NamePrefix}{Gone}-N)", lines);
            Assert.Contains(lines, l => l.StartsWith($"left {outside} alone: {fake} is not directly under the memory cgroup mount", StringComparison.Ordinal));
        }
        finally { Directory.Delete(Path.GetDirectoryName(fake)!, recursive: true); }
    }

    [Fact]
    public void ACgroupEntryForACgroupThptoolMadeIsStillUndone()
    {
        RequireRootAndThp();
        var ours = MemoryCgroupNamed($"{MemoryCgroup.NamePrefix}{Gone}-7");
        var sleeper = Sleeper();
        File.WriteAllText(Path.Combine(ours, "cgroup.procs"), sleeper.Id.ToString());
        var entry = Plant($"{Gone}-1-1.undo", "cgroup", ours, "", "");

        Assert.Equal([$"removed {ours} (left by pid {Gone}, which ended without undoing it)"], RestoreJournal.RecoverStale(folder));
        Assert.True(sleeper.WaitForExit(5000));
        Assert.False(Directory.Exists(ours) || File.Exists(entry));
    }

    [Fact]
    public void ALinkedWorldWritableOrForeignEntryIsReportedAndNotApplied()
    {
        RequireRootAndThp();
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "300");
        var real = Plant("real", "knob", ThpSysfs.MaxPtesNone, "17", "300");
        var link = Path.Combine(folder, $"{Gone}-1-1.undo");
        File.CreateSymbolicLink(link, real);
        var open = Plant($"{Gone}-1-2.undo", "knob", ThpSysfs.MaxPtesNone, "17", "300", Private | UnixFileMode.OtherWrite);
        var foreign = Plant($"{Gone}-1-3.undo", "knob", ThpSysfs.MaxPtesNone, "17", "300");
        File.SetUnixFileMode(foreign, Private);
        using (var chown = Process.Start("chown", ["nobody", foreign])!)
        {
            chown.WaitForExit();
            Assert.Equal(0, chown.ExitCode);
        }

        var lines = RestoreJournal.RecoverStale(folder);

        Assert.Equal("300", Knob(ThpSysfs.MaxPtesNone));
        Assert.Equal([$"left {link} alone: it is a symbolic link",
                      $"left {open} alone: its group or others may write to it",
                      $"left {foreign} alone: it belongs to uid 65534, not root"], lines);
    }

    [Fact]
    public void AnUntrustedFolderIsReportedInOneLineAndNotWrittenTo()
    {
        RequireRootAndThp();
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "300");
        Plant($"{Gone}-1-1.undo", "knob", ThpSysfs.MaxPtesNone, "17", "300");
        File.SetUnixFileMode(folder, (UnixFileMode)0x1FF);

        Assert.Equal([$"left the restore journal {folder} alone: its group or others may write to it"], RestoreJournal.RecoverStale(folder));
        Assert.Equal("300", Knob(ThpSysfs.MaxPtesNone));
        var refused = Assert.Throws<UserError>(() => RestoreJournal.Record(folder, "knob", ThpSysfs.MaxPtesNone, "300", "17"));
        Assert.Equal(ExitCode.PermissionDenied, refused.Code);
        Assert.Single(Directory.GetFiles(folder));
    }

    [Fact]
    public void MalformedEntriesAreReportedNeverFatal()
    {
        LiveKernel.RequireRoot();
        var names = new[] { "foo.undo", "99999999999-1.undo", "99999999999-1-1.undo", $"{Gone}-1.undo" };
        foreach (var name in names) Plant(name, "knob", ThpSysfs.MaxPtesNone, "1", "2");
        var short_ = Path.Combine(folder, $"{Gone}-1-9.undo");
        File.WriteAllText(short_, "knob\n");
        File.SetUnixFileMode(short_, Private);

        var lines = RestoreJournal.RecoverStale(folder);

        foreach (var name in names)
            Assert.Contains($"left {Path.Combine(folder, name)} alone: not a journal entry (PID-STARTTIME-N.undo)", lines);
        Assert.Contains($"left {short_} alone: not four lines starting with 'knob' or 'cgroup'", lines);
    }

    [Fact]
    public void TheOwnerIsThePidWithItsStartTimeNotAProcessNamedThptool()
    {
        RequireRootAndThp();
        var before = Knob(ThpSysfs.MaxPtesNone);
        using var knob = KnobOverride.Set(ThpSysfs.MaxPtesNone, "300");
        var impostor = Sleeper("less thptool.log");
        Assert.True(Wait.Until(() => File.ReadAllText($"/proc/{impostor.Id}/cmdline").Contains("thptool")));
        long start = ProcessStat.StartTimeIfAlive(impostor.Id)!.Value;
        var alive = Plant($"{impostor.Id}-{start}-1.undo", "knob", ThpSysfs.MaxPtesNone, before, "300");
        Assert.Empty(RestoreJournal.RecoverStale(folder));
        Assert.Equal("300", Knob(ThpSysfs.MaxPtesNone));

        File.Move(alive, Path.Combine(folder, $"{impostor.Id}-{start + 1}-1.undo"));
        Assert.Equal([$"restored {ThpSysfs.MaxPtesNone} to {before} (left by pid {impostor.Id}, which ended without undoing it)"],
                     RestoreJournal.RecoverStale(folder));
        Assert.Equal(before, Knob(ThpSysfs.MaxPtesNone));
    }

    public void Dispose()
    {
        foreach (var s in sleepers)
        {
            if (!s.HasExited) s.Kill();
            s.WaitForExit();
            s.Dispose();
        }
        foreach (var c in cgroups)
            if (Directory.Exists(c)) Directory.Delete(c);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
