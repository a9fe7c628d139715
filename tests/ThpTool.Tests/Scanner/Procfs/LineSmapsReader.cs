using System.Globalization;
using ThpTool.Scanner.Procfs;

namespace ThpTool.Tests.Scanner.Procfs;

/// <summary>
/// The oracle for <see cref="SmapsParser"/>: the plain way to read smaps (a string per line, split at spaces and
/// colons) that the scanner used before it parsed bytes in place. Slow and simple on purpose.
/// </summary>
internal static class LineSmapsReader
{
    public static List<SmapsVma> Read(string text)
    {
        var vmas = new List<SmapsVma>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.Length == 0) continue;
            if (Header(line) is { } header) { vmas.Add(header); continue; }
            int colon = line.IndexOf(':');
            if (colon <= 0 || vmas.Count == 0) continue;
            string key = line[..colon], value = line[(colon + 1)..].Trim();
            long kb = long.TryParse(value.Split(' ')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) ? k : 0;
            var v = vmas[^1];
            vmas[^1] = key switch
            {
                "Rss" => v with { RssKb = kb },
                "AnonHugePages" => v with { AnonHugePagesKb = kb },
                "ShmemPmdMapped" => v with { ShmemPmdMappedKb = kb },
                "Anonymous" => v with { AnonymousKb = kb },
                "Shared_Clean" or "Shared_Dirty" => v with { SharedKb = v.SharedKb + kb },
                "VmFlags" => v with { Flags = value.Split(' ', StringSplitOptions.RemoveEmptyEntries) },
                _ => v,
            };
        }
        return vmas;
    }

    static SmapsVma? Header(string line)
    {
        var words = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length < 5 || words[0].Split('-') is not [var from, var to] ||
            !ulong.TryParse(from, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var start) ||
            !ulong.TryParse(to, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var end))
            return null;
        ulong.TryParse(words[2], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var offset);
        // The path starts at the sixth word; it keeps its own inner spaces.
        string path = words.Length == 6 ? words[5].Trim() : "";
        return new SmapsVma(start, end, words[1], offset, path, [], 0, 0);
    }
}
