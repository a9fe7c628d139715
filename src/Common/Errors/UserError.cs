namespace ThpTool.Common.Errors;

/// <summary>
/// A failure the user can act on (bad pid, missing privilege, bad file). The CLI prints its message as
/// one line and exits with its code; anything else is a bug and keeps its stack trace.
/// </summary>
public class UserError(ExitCode code, string message) : Exception(message)
{
    public ExitCode Code { get; } = code;
}

/// <summary>Distinct exit codes so scripts can tell failures apart without parsing stderr.</summary>
public enum ExitCode
{
    Success = 0,
    /// <summary>verify found the model and the kernel disagreeing.</summary>
    Disagreement = 1,
    Usage = 2,
    NoSuchProcess = 3,
    PermissionDenied = 4,
    KernelThread = 5,
    BadScanFile = 6,
    Unsupported = 7,
    IoError = 8,
    /// <summary>merge or export was given a sampled scan (--sample): they keep zero-subpage histograms as exact counts.</summary>
    SampledScan = 9,
    Cancelled = 130,
}
