using System.Globalization;
using ThpTool.Common.Errors;
using ThpTool.Common.Interop;

namespace ThpTool.Common.Output;

/// <summary>
/// What an output path leads to, found the way a shell's redirection would find it, with the kernel's protected_symlinks,
/// protected_regular and protected_fifos rules applied whatever the sysctls say: root writing into a directory others can
/// write must not be steered by their links and files.
/// </summary>
internal abstract record OutputTarget
{
    /// <summary>An open descriptor: "-" (1), or /dev/stdout, /dev/fd/N and the like, which bash also takes as a dup of N.</summary>
    public sealed record Descriptor(int Fd) : OutputTarget;

    /// <summary>A device, FIFO or a file reached through a /proc magic link: opened and written where it is, never replaced.</summary>
    public sealed record InPlace(string Path) : OutputTarget;

    /// <summary>A regular file (<paramref name="Existing"/>) or a new one (null): written beside it and renamed over it.</summary>
    public sealed record Replace(string Path, FileStatus? Existing) : OutputTarget;

    const int MaxLinks = 40;  // the kernel's own limit on links in one lookup

    public static OutputTarget Resolve(string shown)
    {
        if (shown == "-")
            return new Descriptor(1);
        if (DescriptorNumber(shown) is int fd)
            return OpenDescriptor(shown, fd);
        // Not normalised: "dir/link/../x" means what the kernel makes of it, as in a shell.
        string path = shown[0] == '/' ? shown : Environment.CurrentDirectory.TrimEnd('/') + "/" + shown;
        for (int links = 0; links <= MaxLinks; links++)
        {
            var status = FileStatus.Of(path, followLink: false, out int errno);
            if (path.EndsWith('/'))
                throw OutputError.From(shown, status is null && errno != Errno.ENOENT ? errno : Errno.EISDIR);
            if (status is null)
                return errno == Errno.ENOENT ? NewFile(shown, path) : throw OutputError.From(shown, errno);
            string directory = Path.GetDirectoryName(path) ?? "/";
            var s = status.Value;
            if (s.IsLink)
            {
                if (InProcfs(directory))
                    return ExistingTarget(shown, path, followed: true);
                RefuseIfPlanted(shown, path, s, directory, "a symbolic link", "protected_symlinks");
                string target = new FileInfo(path).LinkTarget ?? throw OutputError.From(shown, Errno.ENOENT);
                path = target.StartsWith('/') ? target : directory.TrimEnd('/') + "/" + target;
                continue;
            }
            if (s.IsRegular || s.IsFifo)
                RefuseIfPlanted(shown, path, s, directory, s.IsRegular ? "a file" : "a FIFO", s.IsRegular ? "protected_regular" : "protected_fifos");
            return ExistingTarget(shown, path, followed: false);
        }
        throw OutputError.From(shown, Errno.ELOOP);
    }

    static OutputTarget ExistingTarget(string shown, string path, bool followed)
    {
        var status = FileStatus.Of(path, followLink: true, out int errno) ?? throw OutputError.From(shown, errno);
        if (status.IsDirectory)
            throw OutputError.From(shown, Errno.EISDIR);
        if (status.IsSocket)
            throw new UserError(ExitCode.IoError, $"cannot write {shown}: it is a socket; give a file, a FIFO or a device");
        if (status.IsRegular && !followed)
        {
            RequireWritable(shown, Path.GetDirectoryName(path) ?? "/", Libc.W_OK | Libc.X_OK);
            return new Replace(path, status);
        }
        RequireWritable(shown, path, Libc.W_OK);
        return new InPlace(path);
    }

    static Replace NewFile(string shown, string path)
    {
        string directory = Path.GetDirectoryName(path) ?? "/";
        var status = FileStatus.Of(directory, followLink: true, out int errno) ?? throw OutputError.From(shown, errno);
        if (!status.IsDirectory)
            throw OutputError.From(shown, Errno.ENOTDIR);
        RequireWritable(shown, directory, Libc.W_OK | Libc.X_OK);
        return new Replace(path, null);
    }

    static void RequireWritable(string shown, string path, int mode)
    {
        if (Libc.Access(path, mode) != 0)
            throw OutputError.FromLastError(shown);
    }

    /// <summary>
    /// The kernel's rule for sticky world-writable directories such as /tmp: what a third user put there is not followed
    /// or written into, only what belongs to the writer or to the directory's owner.
    /// </summary>
    static void RefuseIfPlanted(string shown, string path, FileStatus item, string directory, string what, string rule)
    {
        var dir = FileStatus.Of(directory, followLink: true, out _);
        if (dir is not { IsStickyAndWorldWritable: true } d || item.Uid == Libc.Geteuid() || item.Uid == d.Uid)
            return;
        throw OutputError.Refused(shown,
            $"{path} is {what} owned by uid {item.Uid} in the sticky world-writable directory {directory}; " +
            $"the kernel's {rule} rule forbids following or writing it: write somewhere only trusted users can write");
    }

    static bool InProcfs(string directory) =>
        Libc.Statfs(directory, out var buffer) == 0 && buffer.Type == Libc.PROC_SUPER_MAGIC;

    /// <summary>The descriptor a shell would dup for this name, as bash does for /dev/stdout, /dev/fd/N and their /proc form.</summary>
    static int? DescriptorNumber(string path) => path switch
    {
        "/dev/stdin" => 0,
        "/dev/stdout" => 1,
        "/dev/stderr" => 2,
        _ when Number(path, "/dev/fd/") is int n => n,
        _ when Number(path, "/proc/self/fd/") is int n => n,
        _ => null,
    };

    static int? Number(string path, string prefix) =>
        path.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(path.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;

    static Descriptor OpenDescriptor(string shown, int fd)
    {
        var status = FileStatus.Of($"/proc/self/fd/{fd}", followLink: true, out _);
        if (status is null)
            throw new UserError(ExitCode.IoError, $"cannot write {shown}: descriptor {fd} is not open");
        if (status.Value.IsDirectory)
            throw OutputError.From(shown, Errno.EISDIR);
        return new Descriptor(fd);
    }
}
