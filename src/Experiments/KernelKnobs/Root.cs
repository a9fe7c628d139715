using ThpTool.Common.Errors;

namespace ThpTool.Experiments.KernelKnobs;

internal static class Root
{
    public static void Require(string what)
    {
        if (!Environment.IsPrivilegedProcess)
            throw new UserError(ExitCode.PermissionDenied, $"{what} needs root");
    }
}
