using System.Globalization;
using ThpTool.Scanner.Errors;

namespace ThpTool.Lab.Experiments;

public static class PhysicalMemory
{
    /// <summary>MemTotal of /proc/meminfo, in bytes.</summary>
    public static long Total(string meminfo = "/proc/meminfo")
    {
        foreach (var line in File.ReadLines(meminfo))
        {
            // "MemTotal:       24684032 kB"
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields is ["MemTotal:", var kb, "kB"])
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        throw new UserError(ExitCode.Unsupported, $"{meminfo} has no MemTotal line");
    }
}
