using System.Globalization;
using ThpTool.Common.Errors;

namespace ThpTool.Scanner.KernelModel;

/// <summary>Parses "0,64,409", "0-511" or a mix of both into sorted, distinct thresholds.</summary>
public static class ThresholdSet
{
    public static IReadOnlyList<int> All { get; } = Enumerable.Range(0, ShrinkerModel.MaxThreshold + 1).ToArray();

    public static IReadOnlyList<int> Parse(string text, string option = "--thresholds")
    {
        var set = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            int dash = part.IndexOf('-', 1);
            if (dash > 0)
            {
                int from = One(part[..dash], text, option), to = One(part[(dash + 1)..], text, option);
                if (from > to) throw Bad(option, $"range {part} runs backwards");
                for (int n = from; n <= to; n++) set.Add(n);
            }
            else set.Add(One(part, text, option));
        }
        if (set.Count == 0) throw Bad(option, $"no thresholds in \"{text}\"");
        return set.ToArray();
    }

    static int One(string s, string whole, string option)
    {
        if (!int.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
            throw Bad(option, $"\"{s}\" in \"{whole}\" is not a number");
        if (n < 0 || n > ShrinkerModel.MaxThreshold)
            throw Bad(option, $"threshold {n} is outside 0..{ShrinkerModel.MaxThreshold}");
        return n;
    }

    static UserError Bad(string option, string message) => new(ExitCode.Usage, $"{option}: {message}");
}
