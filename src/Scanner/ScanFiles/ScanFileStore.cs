using System.Text.Json;
using ThpTool.Common.Errors;
using ThpTool.Common.Output;

namespace ThpTool.Scanner.ScanFiles;

/// <summary>Saves and loads scan files, refusing anything that is not a complete scan of a version we understand.</summary>
public static class ScanFileStore
{
    /// <summary>
    /// The largest scan file read: a host with 4 TiB of THPs writes about 250 MiB, a fleet file about 10 KiB per
    /// host. The cap keeps a stream that never ends (`yes | thptool sweep /dev/stdin`) from filling memory.
    /// </summary>
    public const int MaxBytes = 256 << 20;

    /// <summary>Scan files name every process and its command line: a new one is readable by its owner alone.</summary>
    public static void Save(ScanFile scan, string path) => Save(scan, new OutputPath(path, "--output", Readers.OwnerOnly));

    /// <summary>Checked as a load checks it, so the tool never writes a file it would then refuse.</summary>
    public static void Save(ScanFile scan, OutputPath output)
    {
        ScanFileCheck.Validate(scan, $"the scan for {output}");
        output.Write(s => JsonSerializer.Serialize(s, scan, ScanJsonContext.Default.ScanFile));
    }

    public static string ToJson(ScanFile scan) => JsonSerializer.Serialize(scan, ScanJsonContext.Default.ScanFile);

    public static ScanFile Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = ReadAtMost(path, MaxBytes);
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

    /// <summary>A scan starts with '{'; a stream of blanks this long is not one, and need not be read to the cap.</summary>
    const int LeadingBytes = 64 << 10;
    static readonly System.Buffers.SearchValues<byte> JsonWhitespace = System.Buffers.SearchValues.Create(" \t\r\n"u8);

    static byte[] ReadAtMost(string path, int limit)
    {
        // Read as a stream, not by the size stat gives: a pipe or /dev/stdin has none.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var buffer = new byte[Math.Min(limit, 1 << 20) + 1];
        int length = 0, n;
        while ((n = stream.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += n;
            if (length >= LeadingBytes && buffer.AsSpan(0, LeadingBytes).IndexOfAnyExcept(JsonWhitespace) < 0)
                throw new UserError(ExitCode.BadScanFile, $"{path} is not a thptool scan: its first {LeadingBytes >> 10} KiB are blank");
            if (length > limit)
                throw new UserError(ExitCode.BadScanFile, $"{path} is larger than {limit >> 20} MiB, the most a scan file may be");
            if (length == buffer.Length) Array.Resize(ref buffer, (int)Math.Min((long)limit + 1, buffer.Length * 2L));
        }
        return buffer[..length];
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
            // The message's first sentence says what, its Path where; line and byte positions follow, not wanted here.
            var what = e.Message.Split(" Path:")[0].Split(" LineNumber:")[0].TrimEnd('.', ' ');
            throw new UserError(ExitCode.BadScanFile, $"{source} is a damaged scan: {(e.Path is { } at ? at.TrimStart('$', '.') + ": " : "")}{what}");
        }
        if ((scan.Hosts is not null) != (version == ScanFile.FleetVersion))
            throw new UserError(ExitCode.BadScanFile, $"{source} is a damaged scan: version {version} with{(scan.Hosts is null ? "out" : "")} per-host summaries");
        ScanFileCheck.Validate(scan, source);
        return scan;
    }
}
