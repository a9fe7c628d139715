using System.IO.MemoryMappedFiles;
using System.Text;
using ThpTool.Scanner.Procfs;
using Xunit;

namespace ThpTool.Tests.Scanner.Procfs;

/// <summary>
/// The byte parser gives the records the plain line reader (<see cref="LineSmapsReader"/>) gives, on real smaps and on
/// the odd names the kernel writes, whatever its buffer size, so lines split across reads come out whole.
/// </summary>
public class SmapsParserBytesTests
{
    const string OddNames = """
        7f0000000000-7f0000002000 rw-p 00000000 00:00 0                          [anon:my arena 1]
        Rss:                   8 kB
        Anonymous:             8 kB
        VmFlags: rd wr mr mw me ac
        7f0000002000-7f0000003000 r--p 00002000 fd:01 99                         /tmp/a dir/lib\012with newline.so (deleted)
        Rss:                   4 kB
        Shared_Clean:          4 kB
        Shared_Dirty:          4 kB
        VmFlags: rd mr mw me
        7f0000003000-7f0000004000 ---p 00000000 00:00 0   
        Rss:                   0 kB
        VmFlags: mr mw me
        7f0000004000-7f0000005000 r--p 00000000 fd:01 7                          /tmp/ünïcode: a:b
        Rss:                   4 kB
        VmFlags: rd mr mw me
        """;

    [Fact]
    public void NamedAnonymousDeletedAndEscapedNamesComeOutAsTheKernelWroteThem()
    {
        var vmas = SmapsParser.Parse(OddNames);
        Assert.Equal(["[anon:my arena 1]", @"/tmp/a dir/lib\012with newline.so (deleted)", "", "/tmp/ünïcode: a:b"], vmas.Select(v => v.Path));
        Assert.True(vmas[0].Anonymous);
        Assert.True(vmas[0].OnlyExclusiveAnonymous);
        Assert.Equal(8, vmas[1].SharedKb);
        AssertSame(LineSmapsReader.Read(OddNames), vmas);
    }

    [Fact]
    public void EveryBufferSizeGivesTheSameRecords()
    {
        var bytes = Encoding.UTF8.GetBytes(OddNames);
        var expected = LineSmapsReader.Read(OddNames);
        for (int size = 1; size <= bytes.Length + 1; size++)
            AssertSame(expected, SmapsParser.Parse(new MemoryStream(bytes), size).ToList());
    }

    /// <summary>
    /// Every readable process on the machine, and this one with a mapped file whose name has a space and a newline and
    /// a mapped file since deleted: what the kernel writes for those, parsed as the line reader parses it.
    /// </summary>
    [Fact]
    public void LiveProcessesParseAsTheLineReaderReadsThem()
    {
        var dir = Directory.CreateTempSubdirectory("smaps parser ");
        var maps = new List<IDisposable>();
        try
        {
            string odd = Path.Combine(dir.FullName, "has space\nand newline"), gone = Path.Combine(dir.FullName, "gone");
            MapFile(odd, maps);
            MapFile(gone, maps);
            File.Delete(gone);

            int processes = 0;
            // This process and up to 50 others (kernel threads have no smaps), whatever runs here: variety, bounded time.
            var pids = Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsAsciiDigit));
            foreach (var proc in pids.Prepend("self").TakeWhile(_ => processes <= 50))
            {
                if (ReadOrNull($"/proc/{proc}/smaps") is not { Length: > 0 } bytes) continue;
                var text = Encoding.UTF8.GetString(bytes);
                var expected = LineSmapsReader.Read(text);
                AssertSame(expected, SmapsParser.Parse(new MemoryStream(bytes)).ToList());
                AssertSame(expected, SmapsParser.Parse(new MemoryStream(bytes), 4093).ToList());
                processes++;
            }
            Assert.True(processes >= 3, $"only {processes} processes' smaps could be read");

            var mine = SmapsParser.Parse(File.ReadAllText("/proc/self/smaps"));
            Assert.Contains(mine, v => v.Path == odd.Replace("\n", @"\012"));
            Assert.Contains(mine, v => v.Path == gone + " (deleted)");
            Assert.All(mine, v => Assert.NotEmpty(v.Flags));
        }
        finally
        {
            maps.ForEach(m => m.Dispose());
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Maps a new one-page file; the view is what shows in smaps.</summary>
    static void MapFile(string path, List<IDisposable> maps)
    {
        File.WriteAllBytes(path, new byte[4096]);
        var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        maps.Add(file);
        maps.Add(file.CreateViewAccessor(0, 4096, MemoryMappedFileAccess.Read));
    }

    /// <summary>A process may exit, or refuse, between listing and reading.</summary>
    static byte[]? ReadOrNull(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    static void AssertSame(List<SmapsVma> expected, List<SmapsVma> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i] with { Flags = [] }, actual[i] with { Flags = [] });
            Assert.Equal(expected[i].Flags, actual[i].Flags);
        }
    }
}
