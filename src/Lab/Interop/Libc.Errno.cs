namespace ThpTool.Lab.Interop;

internal static partial class Libc
{
    internal const string Name = "libc";

    internal const int EPERM = 1;
    internal const int ESRCH = 3;
    internal const int EINTR = 4;
    internal const int ECHILD = 10;
    internal const int EINVAL = 22;

    /// <summary>The single place where a -1 return becomes an exception.</summary>
    internal static void ThrowIfFailed(long result, string function)
    {
        if (result == -1)
            throw ErrnoException.FromLastError(function);
    }
}
