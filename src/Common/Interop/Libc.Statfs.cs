using System.Runtime.InteropServices;

namespace ThpTool.Common.Interop;

internal static partial class Libc
{
    internal const long PROC_SUPER_MAGIC = 0x9fa0;

    /// <summary>struct statfs of 64-bit Linux: f_type comes first; the rest is not read.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 120)]
    internal struct StatfsBuffer
    {
        public long Type;
    }

    [LibraryImport("libc", EntryPoint = "statfs", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    internal static partial int Statfs(string path, out StatfsBuffer buffer);
}
