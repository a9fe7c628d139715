using ThpTool.Common.Output;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Common.Output;

/// <summary>A temporary directory for output tests, with the device nodes, FIFOs and mounts they make, all removed after.</summary>
internal sealed class OutputDirectory : IDisposable
{
    readonly List<string> mounts = [];

    public OutputDirectory(UnixFileMode mode = (UnixFileMode)0x1ED)
    {
        Path = Directory.CreateTempSubdirectory("thptool-output-").FullName;
        File.SetUnixFileMode(Path, mode);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    /// <summary>A character device like /dev/null (1,3) or /dev/full (1,7), made here rather than borrowed from /dev.</summary>
    public string CharDevice(string name, int major, int minor)
    {
        LiveKernel.RequireRoot();
        Programs.Run("/usr/bin/mknod", this[name], "c", major.ToString(), minor.ToString());
        return this[name];
    }

    public string Fifo(string name)
    {
        Programs.Run("/usr/bin/mkfifo", this[name]);
        return this[name];
    }

    /// <summary>A tmpfs mounted on a new subdirectory, with the given mount options (ro, size=...).</summary>
    public string Tmpfs(string name, string options)
    {
        LiveKernel.RequireRoot();
        Directory.CreateDirectory(this[name]);
        Programs.Run("/usr/bin/mount", "-t", "tmpfs", "-o", options, "thptool-test", this[name]);
        mounts.Add(this[name]);
        return this[name];
    }

    /// <summary>Everything in the directory, temporary files included.</summary>
    public string[] Names() => Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order().ToArray()!;

    public static FileStatus Status(string path) => FileStatus.Of(path, followLink: false, out int errno) ?? throw new IOException($"statx {path}: errno {errno}");

    public void Dispose()
    {
        foreach (var mount in mounts)
            Programs.Run("/usr/bin/umount", mount);
        Directory.Delete(Path, recursive: true);
    }
}
