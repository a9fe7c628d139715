using Xunit;
using System.Diagnostics;

namespace ThpTool.Tests.Support;

/// <summary>
/// Screenshots HTML files with Debian's headless Chromium (scripts/setup.sh installs it). Tests call
/// <see cref="RequireChromium"/>, which skips the test with a reason when Chromium is missing.
/// </summary>
public static class HeadlessBrowser
{
    public const string DefaultChromium = "/usr/bin/chromium";

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    /// <summary>The Chromium binary, or null when it is not installed.</summary>
    public static string? FindChromium() =>
        File.Exists(DefaultChromium) ? DefaultChromium : FindProgram("chromium", Environment.GetEnvironmentVariable("PATH"));

    /// <summary>The full path of an executable <paramref name="program"/> in the ':'-separated <paramref name="searchPath"/>, or null.</summary>
    static string? FindProgram(string program, string? searchPath) =>
        (searchPath ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(candidate => File.Exists(candidate) &&
                (File.GetUnixFileMode(candidate) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0);

    /// <summary>The Chromium binary; skips the calling test when there is none.</summary>
    public static string RequireChromium()
    {
        var chromium = FindChromium();
        if (chromium is null)
            Assert.Skip("chromium is not installed (expected /usr/bin/chromium); run scripts/setup.sh");
        return chromium;
    }

    /// <summary>
    /// Renders <paramref name="htmlPath"/> into a PNG of <paramref name="width"/> x <paramref name="height"/>
    /// and returns its path (in a new temp folder the caller may delete). Skips the test when Chromium is
    /// missing; throws when it fails or takes longer than <paramref name="timeout"/>.
    /// </summary>
    public static string Screenshot(string htmlPath, int width = 1400, int height = 3000, TimeSpan? timeout = null)
    {
        string chromium = RequireChromium();
        string outDir = Directory.CreateTempSubdirectory("thptool-shot-").FullName;
        string profile = Directory.CreateTempSubdirectory("thptool-chromium-profile-").FullName;
        string png = Path.Combine(outDir, Path.GetFileNameWithoutExtension(htmlPath) + ".png");
        var start = new ProcessStartInfo(chromium)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--hide-scrollbars", $"--user-data-dir={profile}", $"--screenshot={png}",
                     $"--window-size={width},{height}", new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri,
                 })
            start.ArgumentList.Add(arg);
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {chromium}");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            var limit = timeout ?? DefaultTimeout;
            if (!process.WaitForExit(limit))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish the screenshot of {htmlPath} within {limit.TotalSeconds:0} s");
            }
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(png))
                throw new InvalidOperationException(
                    $"chromium failed (exit code {process.ExitCode}) to screenshot {htmlPath}:\n{stderr.Result}{stdout.Result}");
            return png;
        }
        finally
        {
            try { Directory.Delete(profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
