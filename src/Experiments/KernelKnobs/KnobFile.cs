using ThpTool.Common.Errors;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Experiments.KernelKnobs;

/// <summary>Reads and writes one sysfs/procfs setting, turning the kernel's refusals into user errors.</summary>
internal static class KnobFile
{
    /// <summary>The current value; for choice knobs ("always [madvise] never") the selected one.</summary>
    public static string Read(string path)
    {
        try { return ThpSysfs.Selected(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.IoError, $"cannot read {path}: {e.Message}");
        }
    }

    public static void Write(string path, string value)
    {
        try
        {
            // One write(2) on the open file, no truncate or create: that is how sysfs expects to be written.
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            RandomAccess.Write(handle, System.Text.Encoding.ASCII.GetBytes(value), 0);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new UserError(ExitCode.PermissionDenied, $"cannot write {path}: {e.Message}");
        }
        catch (IOException e)
        {
            throw new UserError(ExitCode.IoError, $"the kernel refused '{value}' for {path}: {e.Message}");
        }
    }
}
