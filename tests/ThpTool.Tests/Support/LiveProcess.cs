using System.Diagnostics;

namespace ThpTool.Tests.Support;

/// <summary>
/// A child process that prints "ready" once its memory is set up and exits when its stdin closes, so a test
/// can never leave it behind (it is killed if it does not exit).
/// </summary>
internal sealed class LiveProcess : IDisposable
{
    readonly Process process;

    public int Pid => process.Id;

    LiveProcess(ProcessStartInfo start)
    {
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.UseShellExecute = false;
        process = Process.Start(start)!;
        var line = ReadLineWithin(TimeSpan.FromSeconds(60));
        if (line != "ready") { Dispose(); throw new InvalidOperationException($"{start.FileName} said \"{line}\" instead of ready"); }
    }

    public static LiveProcess Dotnet(string dll, int mib, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [dll, mib.ToString()]);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        return new LiveProcess(start);
    }

    /// <summary>Sends a line and returns the answer.</summary>
    public string? Ask(string line)
    {
        process.StandardInput.WriteLine(line);
        process.StandardInput.Flush();
        return ReadLineWithin(TimeSpan.FromSeconds(30));
    }

    string? ReadLineWithin(TimeSpan timeout)
    {
        var read = process.StandardOutput.ReadLineAsync();
        return read.Wait(timeout) ? read.Result : null;
    }

    public void Dispose()
    {
        try { process.StandardInput.Close(); } catch (IOException) { }
        if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    public static string RepoRoot { get; } = FindRoot();

    static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ThpTool.sln"))) return dir.FullName;
        throw new InvalidOperationException("ThpTool.sln not found above the test binaries");
    }
}
