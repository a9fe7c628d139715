using ThpTool.Common.Interop;

namespace ThpTool.Common.Output;

/// <summary>What statx says about one path: its type, owner and permission bits.</summary>
internal readonly record struct FileStatus(uint Uid, uint Gid, int Mode)
{
    const int TypeMask = 0xF000, Link = 0xA000, Directory = 0x4000, Regular = 0x8000, Socket = 0xC000, Fifo = 0x1000;
    const int Sticky = 0x200, OthersWrite = 0x2;

    public bool IsLink => (Mode & TypeMask) == Link;
    public bool IsDirectory => (Mode & TypeMask) == Directory;
    public bool IsRegular => (Mode & TypeMask) == Regular;
    public bool IsSocket => (Mode & TypeMask) == Socket;
    public bool IsFifo => (Mode & TypeMask) == Fifo;
    public bool IsStickyAndWorldWritable => (Mode & (Sticky | OthersWrite)) == (Sticky | OthersWrite);

    /// <summary>The permission bits a replacement keeps: set-id and sticky bits are not carried over to a data file.</summary>
    public uint Permissions => (uint)(Mode & 0x1FF);

    /// <summary>The path itself (a link is not followed) or what it leads to; null with errno when there is nothing to stat.</summary>
    public static FileStatus? Of(string path, bool followLink, out int errno)
    {
        int flags = followLink ? 0 : Libc.AT_SYMLINK_NOFOLLOW;
        if (Libc.Statx(Libc.AT_FDCWD, path, flags, Libc.STATX_BASIC_STATS, out var buffer) != 0)
        {
            errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        return new FileStatus(buffer.Uid, buffer.Gid, buffer.Mode);
    }
}
