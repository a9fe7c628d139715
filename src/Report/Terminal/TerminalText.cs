using System.Globalization;
using System.Text;

namespace ThpTool.Report.Terminal;

/// <summary>
/// Text from the scanned machine (process names, cgroup and mapping paths, host names, anything read from a scan
/// file) is chosen by whoever runs there: written raw, an escape sequence in a process name would clear an admin's
/// screen, and a newline would forge table rows. Every such field goes through <see cref="Safe"/> on its way to a
/// terminal; HTML, JSON, CSV and Prometheus have their own escaping.
/// </summary>
public static class TerminalText
{
    /// <summary>Control and format characters (C0, DEL, C1, bidi overrides, ...) as visible \xHH or \uHHHH escapes.</summary>
    public static string Safe(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(Unsafe)) return text ?? "";
        var safe = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            if (!Unsafe(c)) safe.Append(c);
            else if (c <= 0xFF) safe.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
            else safe.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return safe.ToString();
    }

    static bool Unsafe(char c) => char.IsControl(c) || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Format or UnicodeCategory.Surrogate;
}
