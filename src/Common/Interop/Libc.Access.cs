using System.Runtime.InteropServices;

namespace ThpTool.Common.Interop;

internal static partial class Libc
{
    internal const int W_OK = 2;
    internal const int X_OK = 1;

    /// <summary>Also reports EROFS, which root's permission to write anything otherwise hides until the write.</summary>
    [LibraryImport("libc", EntryPoint = "access", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Access(string path, int mode);
}
