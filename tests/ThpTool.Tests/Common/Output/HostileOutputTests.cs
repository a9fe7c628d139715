using ThpTool.Common.Errors;
using ThpTool.Common.Output;
using ThpTool.Tests.Support;
using Xunit;

namespace ThpTool.Tests.Common.Output;

/// <summary>
/// Root writing where another user can write: the user `nobody` plants links, files and FIFOs in a sticky world-writable
/// directory (like /tmp), and root's output neither follows nor writes them, whatever the protected_* sysctls say.
/// </summary>
[Live]
public sealed class HostileOutputTests : IDisposable
{
    readonly OutputDirectory shared = new((UnixFileMode)0x3FF);  // 01777, like /tmp
    readonly OutputDirectory privateDirectory = new();

    public void Dispose()
    {
        shared.Dispose();
        privateDirectory.Dispose();
    }

    string Secret()
    {
        string secret = privateDirectory["secret"];
        File.WriteAllText(secret, "root only");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return secret;
    }

    static void Refused(string path, string rule)
    {
        var e = Assert.Throws<UserError>(() => new OutputPath(path, "--csv"));
        Assert.Equal(ExitCode.PermissionDenied, e.Code);
        Assert.Contains(rule, e.Message);
        Assert.Contains("uid 65534", e.Message);
    }

    [Fact]
    public void ALinkPlantedByAnotherUserIsNotFollowed()
    {
        Nobody.Require();
        string secret = Secret();
        Nobody.Run("/usr/bin/ln", "-s", secret, shared["out.csv"]);
        Refused(shared["out.csv"], "protected_symlinks");
        Assert.Equal("root only", File.ReadAllText(secret));
        Assert.Equal(0x180u, OutputDirectory.Status(secret).Permissions);
    }

    [Fact]
    public void AFilePlantedByAnotherUserIsNotWrittenNorHandedToThem()
    {
        Nobody.Require();
        Nobody.Run("/usr/bin/touch", shared["report.html"]);
        Refused(shared["report.html"], "protected_regular");
        Assert.Equal(0, new FileInfo(shared["report.html"]).Length);
    }

    [Fact]
    public void AFifoPlantedByAnotherUserIsRefusedWithoutWaitingForAReader()
    {
        Nobody.Require();
        Nobody.Run("/usr/bin/mkfifo", shared["thptool.prom"]);
        Refused(shared["thptool.prom"], "protected_fifos");
    }

    [Fact]
    public void TheDirectoryOwnersLinkAndFileAreFollowedAndKeepTheirOwner()
    {
        // A textfile-collector directory owned by the exporter's account: its links are the owner's to make.
        Nobody.Require();
        Programs.Run("/usr/bin/chown", "nobody:nogroup", privateDirectory.Path);
        Nobody.Run("/usr/bin/touch", privateDirectory["real.prom"]);
        Nobody.Run("/usr/bin/ln", "-s", "real.prom", privateDirectory["thptool.prom"]);
        new OutputPath(privateDirectory["thptool.prom"], "--prometheus").WriteText("metrics\n");
        Assert.Equal("metrics\n", File.ReadAllText(privateDirectory["real.prom"]));
        var status = OutputDirectory.Status(privateDirectory["real.prom"]);
        Assert.Equal((Nobody.Uid, 0x1A4u), (status.Uid, status.Permissions));
        Assert.True(OutputDirectory.Status(privateDirectory["thptool.prom"]).IsLink);
        Assert.Equal(["real.prom", "thptool.prom"], privateDirectory.Names());
    }

    [Fact]
    public async Task AUserWhoCannotWriteTheDirectoryIsToldBeforeTheScan()
    {
        Nobody.Require();
        using var tool = System.Diagnostics.Process.Start(Nobody.Thptool("sweep", "--pid", "3999999", "--csv", privateDirectory["sweep.csv"]))!;
        tool.StandardInput.Close();
        string stderr = await tool.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await tool.WaitForExitAsync(TestContext.Current.CancellationToken);
        Assert.Equal((int)ExitCode.PermissionDenied, tool.ExitCode);
        Assert.Equal($"thptool: cannot write {privateDirectory["sweep.csv"]}: permission denied", stderr.Trim());
        Assert.Empty(privateDirectory.Names());
    }

    [Fact]
    public async Task TheCliRefusesBeforeItScans()
    {
        Nobody.Require();
        string secret = Secret();
        Nobody.Run("/usr/bin/ln", "-s", secret, shared["scan.json"]);
        // The pid does not exist: a scan run first would fail with NoSuchProcess instead.
        var r = await Thptool.RunAsync("scan", "--pid", "3999999", "-o", shared["scan.json"]);
        Assert.Equal((int)ExitCode.PermissionDenied, r.ExitCode);
        Assert.Contains("protected_symlinks", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
        Assert.Equal("root only", File.ReadAllText(secret));
    }
}
