using System.Text;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Common.Output;

/// <summary>How every output is written, on real files, device nodes, FIFOs and filesystems.</summary>
public sealed class OutputPathTests : IDisposable
{
    const int CharDeviceType = 0x2000;
    readonly OutputDirectory dir = new();

    public void Dispose() => dir.Dispose();

    static int Permissions(string path) => (int)OutputDirectory.Status(path).Permissions;

    static UserError Fails(ExitCode code, string expected, Action write)
    {
        var e = Assert.Throws<UserError>(write);
        Assert.Equal(code, e.Code);
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        return e;
    }

    [Fact]
    public void ANewFileIsReadableByAllOrOnlyByItsOwnerWhenItHoldsCommandLines()
    {
        new OutputPath(dir["sweep.csv"], "--csv").WriteText("a\n");
        new OutputPath(dir["scan.json"], "--output", Readers.OwnerOnly).WriteText("{}");
        Assert.Equal(0x1A4, Permissions(dir["sweep.csv"]));
        Assert.Equal(0x180, Permissions(dir["scan.json"]));
        Assert.Equal(["scan.json", "sweep.csv"], dir.Names());
    }

    [Fact]
    public void AReplacedFileKeepsItsMode()
    {
        File.WriteAllText(dir["sweep.csv"], "old");
        File.SetUnixFileMode(dir["sweep.csv"], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        new OutputPath(dir["sweep.csv"], "--csv").WriteText("new");
        Assert.Equal("new", File.ReadAllText(dir["sweep.csv"]));
        Assert.Equal(0x180, Permissions(dir["sweep.csv"]));
        Assert.Equal(["sweep.csv"], dir.Names());
    }

    [Live]
    [Fact]
    public void AReplacedFileKeepsItsOwnerAndGroup()
    {
        LiveKernel.RequireRoot();
        File.WriteAllText(dir["thptool.prom"], "old");
        File.SetUnixFileMode(dir["thptool.prom"], (UnixFileMode)0x1A0);  // 0640
        Programs.Run("/usr/bin/chown", "nobody:nogroup", dir["thptool.prom"]);
        new OutputPath(dir["thptool.prom"], "--prometheus").WriteText("new");
        var status = OutputDirectory.Status(dir["thptool.prom"]);
        Assert.Equal((Nobody.Uid, Nobody.Uid, 0x1A0u), (status.Uid, status.Gid, status.Permissions));
        Assert.Equal("new", File.ReadAllText(dir["thptool.prom"]));
    }

    [Live]
    [Fact]
    public void ADeviceNodeIsWrittenInPlaceNeverReplaced()
    {
        string nul = dir.CharDevice("null", 1, 3);
        new OutputPath(nul, "--csv").WriteText("rows\n");
        Assert.Equal(CharDeviceType, OutputDirectory.Status(nul).Mode & 0xF000);
        Assert.Equal(["null"], dir.Names());
    }

    [Live]
    [Fact]
    public void AFullDeviceIsAnIoErrorAndStaysADevice()
    {
        string full = dir.CharDevice("full", 1, 7);
        var output = new OutputPath(full, "--csv");
        Fails(ExitCode.IoError, "No space left on device", () => output.WriteText("rows\n"));
        Assert.Equal(CharDeviceType, OutputDirectory.Status(full).Mode & 0xF000);
        Assert.Equal(["full"], dir.Names());
    }

    [Fact]
    public async Task AFifoIsWrittenInPlaceToItsReader()
    {
        string fifo = dir.Fifo("fifo");
        var reader = Task.Run(() => File.ReadAllText(fifo), TestContext.Current.CancellationToken);
        new OutputPath(fifo, "--csv").WriteText("rows\n");
        Assert.Equal("rows\n", await reader.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
        Assert.True(OutputDirectory.Status(fifo).IsFifo);
    }

    [Fact]
    public void ALinkTheCallerMayFollowIsFollowedAndStaysALink()
    {
        File.WriteAllText(dir["real.csv"], "old");
        File.SetUnixFileMode(dir["real.csv"], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.CreateSymbolicLink(dir["link.csv"], "real.csv");
        new OutputPath(dir["link.csv"], "--csv").WriteText("new");
        Assert.True(OutputDirectory.Status(dir["link.csv"]).IsLink);
        Assert.Equal("new", File.ReadAllText(dir["real.csv"]));
        Assert.Equal(0x180, Permissions(dir["real.csv"]));
        Assert.Equal(["link.csv", "real.csv"], dir.Names());
    }

    [Fact]
    public void ADescriptorIsWrittenThroughItAsAShellWould()
    {
        // What /dev/stdout and /dev/fd/N are to a shell, without touching the system's own /dev.
        using (var file = new FileStream(dir["held.txt"], FileMode.Create, FileAccess.Write))
        {
            int fd = (int)file.SafeFileHandle.DangerousGetHandle();
            new OutputPath($"/proc/self/fd/{fd}", "--csv").WriteText("by number\n");
            Assert.False(new OutputPath($"/proc/self/fd/{fd}", "--csv").IsStandardOutput);
        }
        Assert.Equal("by number\n", File.ReadAllText(dir["held.txt"]));
        Assert.True(new OutputPath("/proc/self/fd/1", "--csv").IsStandardOutput);
    }

    [Fact]
    public void StandardOutputThatIsAWriterGetsTheOutputsTextAfterWhatCameBefore()
    {
        // A test's standard output: the bytes arrive one at a time, splitting each multi-byte character.
        using var writer = new StringWriter();
        writer.Write("summary\n");
        var bytes = Encoding.UTF8.GetBytes("é,€,😀\n");
        new OutputPath("/dev/stdout", "--csv", standardOutput: writer).Write(s => { foreach (var b in bytes) s.WriteByte(b); });
        Assert.Equal("summary\né,€,😀\n", writer.ToString());
    }

    [Fact]
    public void ALinkIntoProcIsOpenedThroughNotReplaced()
    {
        using (var file = new FileStream(dir["held.txt"], FileMode.Create, FileAccess.Write))
        {
            File.CreateSymbolicLink(dir["out"], $"/proc/{Environment.ProcessId}/fd/{file.SafeFileHandle.DangerousGetHandle()}");
            new OutputPath(dir["out"], "--csv").WriteText("through the link\n");
        }
        Assert.Equal("through the link\n", File.ReadAllText(dir["held.txt"]));
        Assert.True(OutputDirectory.Status(dir["out"]).IsLink);
    }

    [Fact]
    public void PathsThatCannotBeAFileFailWhenChecked()
    {
        Fails(ExitCode.Usage, "--csv: the file name is empty", () => new OutputPath("", "--csv"));
        Fails(ExitCode.Usage, "is a directory", () => new OutputPath("/", "--csv"));
        Fails(ExitCode.Usage, "is a directory", () => new OutputPath(dir.Path, "--csv"));
        Fails(ExitCode.Usage, "is a directory", () => new OutputPath(dir["new-dir/"], "--csv"));
        Fails(ExitCode.IoError, "no such directory", () => new OutputPath(dir["missing/out.csv"], "--csv"));
        Assert.Empty(dir.Names());
    }

    [Live]
    [Fact]
    public void AReadOnlyFileSystemFailsWhenChecked()
    {
        string ro = dir.Tmpfs("ro", "ro,size=64k");
        Fails(ExitCode.IoError, "Read-only file system", () => new OutputPath(Path.Combine(ro, "out.csv"), "--csv"));
    }

    [Live]
    [Fact]
    public void AFullFileSystemLeavesTheOldFileAndNoTemporaryFile()
    {
        string small = dir.Tmpfs("small", "size=64k");
        string path = Path.Combine(small, "out.csv");
        File.WriteAllText(path, "old");
        var output = new OutputPath(path, "--csv");
        Fails(ExitCode.IoError, "No space left on device", () => output.WriteBytes(new byte[1 << 20]));
        Assert.Equal(["out.csv"], Directory.GetFileSystemEntries(small).Select(Path.GetFileName));
        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void ARenderingThatFailsLeavesNothing()
    {
        File.WriteAllText(dir["sweep.csv"], "old");
        Assert.Throws<InvalidOperationException>(() =>
            new OutputPath(dir["sweep.csv"], "--csv").Write(s => { s.Write(Encoding.UTF8.GetBytes("half")); throw new InvalidOperationException(); }));
        Assert.Equal("old", File.ReadAllText(dir["sweep.csv"]));
        Assert.Equal(["sweep.csv"], dir.Names());
    }
}
