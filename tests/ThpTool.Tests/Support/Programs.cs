using System.Diagnostics;
using Xunit;

namespace ThpTool.Tests.Support;

/// <summary>System programs a test needs as they are (mknod, mkfifo, mount, chown): run to the end, success required.</summary>
internal static class Programs
{
    public static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = "/" };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        string stderr = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {stderr}");
    }
}
