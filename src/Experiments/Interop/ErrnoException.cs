using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

/// <summary>A libc call failed; carries errno so callers can tell "unsupported" from "denied" without parsing text.</summary>
public sealed class ErrnoException(string function, int errno)
    : Exception($"{function}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
{
    public string Function { get; } = function;
    public int Errno { get; } = errno;

    internal static ErrnoException FromLastError(string function) => new(function, Marshal.GetLastPInvokeError());
}
