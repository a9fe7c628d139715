namespace ThpTool.Common.Output;

/// <summary>Whether root may act on what a file says: only when no one but root could have written it.</summary>
public static class RootOnly
{
    /// <summary>
    /// Why <paramref name="path"/> is not a real directory (or regular file) of root's that no one else may write, or null.
    /// A link is refused, not followed: whoever made it chose where it leads.
    /// </summary>
    public static string? Problem(string path, bool directory)
    {
        if (FileStatus.Of(path, followLink: false, out int errno) is not { } status) return $"cannot stat it (errno {errno})";
        if (status.IsLink) return "it is a symbolic link";
        if (directory ? !status.IsDirectory : !status.IsRegular) return directory ? "it is not a directory" : "it is not a regular file";
        if (status.Uid != 0) return $"it belongs to uid {status.Uid}, not root";
        const uint groupOrOthersWrite = 0x12;
        return (status.Permissions & groupOrOthersWrite) != 0 ? "its group or others may write to it" : null;
    }
}
