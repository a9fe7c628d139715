using System.Globalization;
using System.Runtime.InteropServices;

// A .NET service with sparse THPs: MADV_HUGEPAGE memory of which every THP has 32 written subpages and 480
// all-zero ones, plus some managed garbage for an induced GC to collect. Prints "ready", then answers each
// "gc" line on stdin with GC.CollectionCount(2), each "collect" with the milliseconds an in-process GC.Collect()
// took, and exits when stdin closes.
const int madvHugepage = 14;
const nuint pmd = 2 << 20;
const nuint stride = 64 << 10;

int mib = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 64;
nuint size = (nuint)mib << 20;
unsafe
{
    var memory = (byte*)NativeMemory.AlignedAlloc(size, pmd);
    if (madvise(memory, size, madvHugepage) != 0) throw new InvalidOperationException($"madvise: errno {Marshal.GetLastPInvokeError()}");
    for (nuint offset = 0; offset < size; offset += stride) memory[offset] = 1;
}
var live = new List<byte[]>();
for (int i = 0; i < 64; i++)
{
    var array = new byte[1 << 20];
    array[0] = 1;
    if (i % 8 == 0) live.Add(array);
}

Console.WriteLine("ready");
while (Console.ReadLine() is { } line)
{
    if (line == "gc") Console.WriteLine(GC.CollectionCount(2).ToString(CultureInfo.InvariantCulture));
    if (line == "collect")
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        GC.Collect();
        Console.WriteLine(clock.Elapsed.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture));
    }
}
GC.KeepAlive(live);

[DllImport("libc", SetLastError = true)]
static extern unsafe int madvise(void* address, nuint length, int advice);
