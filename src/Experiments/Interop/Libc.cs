namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    internal const string Name = "libc";

    /// <summary>The single place where a -1 return becomes an exception.</summary>
    internal static void ThrowIfFailed(long result, string function)
    {
        if (result == -1)
            throw ErrnoException.FromLastError(function);
    }
}
