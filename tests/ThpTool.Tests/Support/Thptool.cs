using System.Diagnostics;
using ThpTool.Cli;

namespace ThpTool.Tests.Support;

/// <summary>
/// Runs thptool: in this process through <see cref="CliApp"/> with its streams captured (most tests), or as a user
/// would, the built executable in a process of its own, where the process itself is what is tested: signals, exit codes
/// a shell sees, another user, descriptors and devices as standard output, the environment.
/// </summary>
internal static class Thptool
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr, int Pid);

    /// <summary>
    /// The command in this process, its streams captured. It must not depend on the current directory or environment,
    /// which parallel tests share: give absolute paths.
    /// </summary>
    public static async Task<Result> RunInProcess(params string[] args)
    {
        using StringWriter stdout = new(), stderr = new();
        int code = await CliApp.RunAsync(args, TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), TestContext.Current.CancellationToken);
        return new Result(code, stdout.ToString(), stderr.ToString(), Environment.ProcessId);
    }

    public static string AppHost => Path.Combine(AppContext.BaseDirectory, "thptool");

    /// <summary>Started with stdin closed; the caller reads its streams and waits.</summary>
    public static Process Start(params string[] args) => Start(new Dictionary<string, string?>(), args);

    /// <summary>With <paramref name="environment"/> set (a null value removes the variable).</summary>
    public static Process Start(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var start = new ProcessStartInfo(AppHost) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (name, value) in environment)
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        var process = Process.Start(start)!;
        process.StandardInput.Close();
        return process;
    }

    public static Task<Result> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var process = Start(environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await stdout, await stderr, process.Id);
    }
}
