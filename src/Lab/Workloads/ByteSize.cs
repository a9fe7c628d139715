using ThpTool.Scanner.Errors;

namespace ThpTool.Lab.Workloads;

/// <summary>Byte counts as people type them: 4096, 50K, 200M, 1G (binary multiples).</summary>
public static class ByteSize
{
    public static long Parse(string text, string what)
    {
        var trimmed = text.Trim();
        long multiplier = 1;
        if (trimmed.Length > 0 && char.IsLetter(trimmed[^1]))
        {
            multiplier = char.ToUpperInvariant(trimmed[^1]) switch
            {
                'K' => 1L << 10,
                'M' => 1L << 20,
                'G' => 1L << 30,
                _ => 0,
            };
            trimmed = trimmed[..^1];
        }
        if (multiplier == 0 || !long.TryParse(trimmed, out var count) || count <= 0 || count > long.MaxValue / multiplier)
            throw new UserError(ExitCode.Usage, $"{what} '{text}' is not a positive byte count (suffixes K, M, G)");
        return count * multiplier;
    }
}
