using ThpTool.Experiments.Workloads;
using ThpTool.Scanner.Memory;
using ThpTool.Scanner.Procfs;
using ThpTool.Scanner.Scanning;
using ThpTool.Tests.Support;

namespace ThpTool.Tests.Scanner.Scanning;

/// <summary>One PAGEMAP_SCAN walk serves many VMAs: each must get what a walk of its own gives, clipped to its bounds.</summary>
[Collection(LiveKernel.Collection)]
[Live]
public class PopulatedLayoutTests
{
    [Fact]
    public async Task ASharedWalkGivesEveryVmaWhatItsOwnWalkGives()
    {
        LiveKernel.RequireRoot();
        LiveKernel.RequireThp();
        const int extra = 5000;  // more ranges than one walk's vector holds, so the shared walk resumes mid-way
        await using var w = await Workloads.StartAsync(new WorkloadSpec { Size = 4 * Geometry.ThpSize, Fills = [0, 1, 300, 512], ExtraVmas = extra });
        // The workload's own mappings, which stay still: its THP range and its one-page VMAs (the runtime's heap moves).
        var vmas = SmapsParser.Parse(File.ReadAllText($"/proc/{w.Pid}/smaps"))
            .Where(v => (v.Start < w.Address + w.Size && v.End > w.Address) ||
                        (v.End - v.Start == Geometry.PageSize && v.Perms == "rw-p" && v.Path == ""))
            .ToList();
        using var pagemap = PagemapFile.Open(w.Pid);
        var shared = new PopulatedLayout(pagemap);
        int populated = 0, huge = 0;
        foreach (var vma in vmas)
        {
            shared.Read(vma.Start, vma.End);
            var own = new PopulatedLayout(pagemap);
            own.Read(vma.Start, vma.End);
            Assert.Equal(own.Spans, shared.Spans);
            Assert.Equal(own.Special, shared.Special);
            Assert.All(shared.Special, r => Assert.True(r.Start >= vma.Start && r.End <= vma.End));
            if (shared.Spans.Count > 0) populated++;
            huge += shared.Special.Count(r => r.Huge);
        }
        Assert.True(populated >= extra, $"{populated} populated VMAs");
        Assert.True(huge >= 1, "the THPs' PMD mappings were not seen");
    }
}
