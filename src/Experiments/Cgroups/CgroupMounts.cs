using ThpTool.Common.Errors;
using ThpTool.Scanner.Cgroups;

namespace ThpTool.Experiments.Cgroups;

/// <summary>The memory controller to make experiment cgroups in, whichever cgroup version provides it.</summary>
public static class CgroupMounts
{
    public static IMemoryController FindMemoryController(string mountInfo = CgroupMount.MountinfoPath)
    {
        string text;
        try { text = File.ReadAllText(mountInfo); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.Unsupported, $"cannot read {mountInfo}: {e.Message}");
        }
        return Choose(text) ?? throw new UserError(ExitCode.Unsupported,
            "no memory cgroup controller is mounted (neither a v1 'memory' hierarchy nor a v2 hierarchy with the memory controller enabled)");
    }

    /// <summary>The controller of the mount <see cref="CgroupMount.FromMountinfo"/> chooses.</summary>
    internal static IMemoryController? Choose(string mountInfo) =>
        CgroupMount.FromMountinfo(mountInfo) switch
        {
            null => null,
            { Unified: true } mount => new CgroupV2Memory(mount.MountPoint),
            var mount => new CgroupV1Memory(mount.MountPoint),
        };
}
