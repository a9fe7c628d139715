using System.Text.Json;
using ThpTool.Scanner.Errors;
using ThpTool.Scanner.Output;

namespace ThpTool.Scanner.Scans;

/// <summary>Saves and loads scan files, refusing anything that is not a complete scan of a version we understand.</summary>
public static class ScanFileStore
{
    /// <summary>Scan files name every process and its command line: a new one is readable by its owner alone.</summary>
    public static void Save(ScanFile scan, string path) => Save(scan, new OutputPath(path, "--output", Readers.OwnerOnly));

    public static void Save(ScanFile scan, OutputPath output) =>
        output.Write(s => JsonSerializer.Serialize(s, scan, ScanJsonContext.Default.ScanFile));

    public static string ToJson(ScanFile scan) => JsonSerializer.Serialize(scan, ScanJsonContext.Default.ScanFile);

    public static ScanFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UserError(ExitCode.BadScanFile, $"no scan file at {path}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UserError(ExitCode.IoError, $"cannot read {path}: {e.Message}");
        }
        return Parse(bytes, path);
    }

    public static ScanFile Parse(ReadOnlySpan<byte> json, string source)
    {
        // Check the identity first, so that any other JSON gets "not a scan" rather than a field-level complaint.
        string? format = null;
        int version = 0;
        try
        {
            using var doc = JsonDocument.Parse(json.ToArray());
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String) format = f.GetString();
                if (doc.RootElement.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.Number) v.TryGetInt32(out version);
            }
        }
        catch (JsonException)
        {
            throw new UserError(ExitCode.BadScanFile, $"{source} is not a thptool scan: not complete JSON (truncated?)");
        }
        if (format != ScanFile.FormatName)
            throw new UserError(ExitCode.BadScanFile, $"{source} is not a thptool scan (no \"format\": \"{ScanFile.FormatName}\")");
        if (version < 1 || version > ScanFile.CurrentVersion)
            throw new UserError(ExitCode.BadScanFile, $"{source} is scan format version {version}; this thptool reads 1 to {ScanFile.CurrentVersion}");
        ScanFile scan;
        try
        {
            scan = JsonSerializer.Deserialize(json, ScanJsonContext.Default.ScanFile)
                   ?? throw new UserError(ExitCode.BadScanFile, $"{source} is an empty scan");
        }
        catch (JsonException e)
        {
            throw new UserError(ExitCode.BadScanFile, $"{source} is a damaged scan: {e.Message.Split('.')[0]}");
        }
        if ((scan.Hosts is not null) != (version == ScanFile.FleetVersion))
            throw new UserError(ExitCode.BadScanFile, $"{source} is a damaged scan: version {version} with{(scan.Hosts is null ? "out" : "")} per-host summaries");
        return scan;
    }
}
