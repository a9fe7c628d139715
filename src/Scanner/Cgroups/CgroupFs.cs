using ThpTool.Common.Interop;

namespace ThpTool.Scanner.Cgroups;

/// <summary>Whether a directory is part of a cgroup hierarchy, as the kernel's file system type says, not its file names.</summary>
public static class CgroupFs
{
    const long CgroupSuperMagic = 0x27e0eb, Cgroup2SuperMagic = 0x63677270;

    /// <summary>statfs follows links: callers that must not follow one check the path itself first.</summary>
    public static bool Holds(string path) =>
        Libc.Statfs(path, out var buffer) == 0 && buffer.Type is CgroupSuperMagic or Cgroup2SuperMagic;
}
