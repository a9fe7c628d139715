using System.Diagnostics;
using Xunit;

namespace ThpTool.Tests.Support;

/// <summary>
/// The unprivileged user `nobody`, through setpriv: runs thptool, or plants links, files and FIFOs as a hostile local
/// user would. thptool runs from a copy in a world-readable temporary directory, because a clone under a directory only
/// root can enter (0700, like root's home) is out of nobody's reach.
/// </summary>
internal static class Nobody
{
    public const string Setpriv = "/usr/bin/setpriv";
    public const uint Uid = 65534;

    static readonly Lazy<string> Staged = new(Stage);

    public static void Require()
    {
        LiveKernel.RequireRoot();
        if (!File.Exists(Setpriv)) Assert.Skip($"{Setpriv} is missing: cannot drop to an unprivileged user");
    }

    /// <summary>thptool <paramref name="args"/> as nobody, its streams redirected.</summary>
    public static ProcessStartInfo Thptool(params string[] args) => Command(Path.Combine(Staged.Value, "thptool"), args);

    public static ProcessStartInfo Command(string program, params string[] args)
    {
        var start = new ProcessStartInfo(Setpriv)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            // The test's own directory may be closed to nobody.
            WorkingDirectory = "/",
        };
        foreach (var a in SetprivArguments(program, args))
            start.ArgumentList.Add(a);
        return start;
    }

    /// <summary>Runs a program as nobody to its end and requires success.</summary>
    public static void Run(string program, params string[] args) => Programs.Run(Setpriv, SetprivArguments(program, args));

    static string[] SetprivArguments(string program, string[] args) =>
        ["--reuid=nobody", "--regid=nogroup", "--clear-groups", program, .. args];

    static string Stage()
    {
        var dir = Directory.CreateTempSubdirectory("thptool-for-nobody-").FullName;
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(dir, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
        }
        foreach (var d in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).Append(dir))
            File.SetUnixFileMode(d, (UnixFileMode)0x1ED);  // 0755
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        return dir;
    }
}
