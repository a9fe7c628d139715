using ThpTool.Scanner.ScanFiles;
using static ThpTool.Tests.Support.SyntheticScans;

namespace ThpTool.Tests.Support;

/// <summary>Scans shaped like a real host: most THPs full, a tail of mostly-zero ones, and every special case the report calls out.</summary>
internal static class ReportScans
{
    public const string HostileComm = "<script>alert(1)</script>";
    public const string HostileCgroup = "/user.slice/<svg onload=alert(3)>.scope";

    /// <summary>Zero-subpage counts with a long tail, the same for every run.</summary>
    public static IEnumerable<ThpRecord> Thps(int count, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < count; i++)
        {
            double u = random.NextDouble();
            int zero = u < 0.55 ? 0 : u < 0.8 ? random.Next(1, 64) : u < 0.93 ? random.Next(64, 448) : random.Next(448, 513);
            yield return Thp(zero) with { Address = 0x7f0000000000UL + (ulong)i * 0x200000 };
        }
    }

    public static VmaScan At(VmaScan vma, ulong start, string path = "") => vma with { Start = start, End = start + 0x40000000, Path = path };

    public static ScanFile Host(string name = "web1", int seed = 1) => Scan(Settings(), []) with
    {
        Host = name,
        Vmstat = new Dictionary<string, long> { ["thp_fault_alloc"] = 12345, ["thp_split_page"] = 17, ["thp_underused_split_page"] = 0 },
        Processes =
        [
            new ProcessScan
            {
                Pid = 1001, Comm = "dotnet", Cmdline = "dotnet /srv/api/Api.dll", IsDotnet = true, Cgroup = "/system.slice/api.service",
                Vmas = [At(Vma(Thps(300, seed), ranges: [new CollapseRange(0x7f4000000000, 40, 300), new CollapseRange(0x7f4000200000, 0, 0)]), 0x7f0000000000)],
            },
            new ProcessScan
            {
                Pid = 1002, Comm = "qemu-system-x86", Cmdline = "qemu-system-x86_64 -incoming defer", Cgroup = "/machine.slice/machine-qemu\\x2d1\\x2dguest.scope",
                Vmas = [At(Vma(Thps(120, seed + 1), flags: "rd wr hg um"), 0x7f1000000000, "[anon:guest-ram]")],
            },
            new ProcessScan
            {
                Pid = 1003, Comm = HostileComm, Cmdline = "\"quoted\" & <b>bold</b> 'single'", Cgroup = HostileCgroup,
                Vmas =
                [
                    At(Vma(Thps(60, seed + 2), flags: "rd wr lo"), 0x7f2000000000, "/tmp/<img src=x onerror=alert(2)>"),
                    At(Vma([Thp(500, ThpMapping.Partial, mapped: 200), Thp(512, countedIn: 1001)]), 0x7f3000000000),
                ],
            },
        ],
    };
}
