using System.Globalization;
using ThpTool.Common.Errors;

namespace ThpTool.Scanner.Procfs;

public static class PhysicalMemory
{
    /// <summary>MemTotal of /proc/meminfo, in bytes.</summary>
    public static long Total(string meminfo = "/proc/meminfo") => Field("MemTotal:", meminfo);

    /// <summary>MemAvailable of /proc/meminfo, in bytes: what can be allocated without swapping.</summary>
    public static long Available(string meminfo = "/proc/meminfo") => Field("MemAvailable:", meminfo);

    static long Field(string name, string meminfo)
    {
        foreach (var line in File.ReadLines(meminfo))
        {
            // "MemTotal:       24684032 kB"
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 3 && fields[0] == name && fields[2] == "kB")
                return long.Parse(fields[1], CultureInfo.InvariantCulture) * 1024;
        }
        throw new UserError(ExitCode.Unsupported, $"{meminfo} has no {name.TrimEnd(':')} line");
    }
}
