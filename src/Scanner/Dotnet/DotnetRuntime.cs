namespace ThpTool.Scanner.Dotnet;

/// <summary>What the scan knows of a .NET process: how it was recognised, its GC settings, and the GC thptool induced.</summary>
public sealed record DotnetRuntime
{
    /// <summary>It published a diagnostics port (DiagnosticsClient.GetPublishedProcesses), so a GC can be induced.</summary>
    public bool DiagnosticsPort { get; init; }
    /// <summary>libcoreclr.so is mapped: also true for runtimes whose port is hidden (other mount namespace, disabled).</summary>
    public bool CoreclrMapped { get; init; }
    /// <summary>GC settings from the environment (DOTNET_ and COMPlus_ names as set), which shape the heap the scan sees.</summary>
    public IReadOnlyDictionary<string, string> GcSettings { get; init; } = new Dictionary<string, string>();
    /// <summary>Set when --dotnet-gc asked for a full blocking GC before the scan.</summary>
    public GcInduction? InducedGc { get; init; }
}

/// <summary>The outcome of inducing a full blocking GC: completed (GCEnd seen) or why not.</summary>
public sealed record GcInduction(bool Completed, double Seconds, string? Error = null);
