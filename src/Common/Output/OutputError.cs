using System.Runtime.InteropServices;
using ThpTool.Common.Errors;
using ThpTool.Common.Interop;

namespace ThpTool.Common.Output;

/// <summary>Where errno becomes the user's error: one line naming the output, and an exit code a script can tell apart.</summary>
internal static class OutputError
{
    public static UserError FromLastError(string shown) => From(shown, Marshal.GetLastPInvokeError());

    public static UserError From(string shown, int errno) => errno switch
    {
        Errno.EACCES or Errno.EPERM => new UserError(ExitCode.PermissionDenied, $"cannot write {shown}: permission denied"),
        Errno.EISDIR => new UserError(ExitCode.Usage, $"cannot write {shown}: it is a directory; give a file name"),
        Errno.ENOENT => new UserError(ExitCode.IoError, $"cannot write {shown}: no such directory"),
        _ => new UserError(ExitCode.IoError, $"cannot write {shown}: {Marshal.GetPInvokeErrorMessage(errno)}"),
    };

    public static UserError Refused(string shown, string why) => new(ExitCode.PermissionDenied, $"cannot write {shown}: {why}");
}
