namespace ThpTool.Scanner.Procfs;

/// <summary>The /proc/kpageflags bits this tool reads (include/uapi/linux/kernel-page-flags.h).</summary>
[Flags]
public enum KpageFlags : ulong
{
    Buddy = 1UL << 10,
    Mmap = 1UL << 11,
    Anon = 1UL << 12,
    CompoundHead = 1UL << 15,
    CompoundTail = 1UL << 16,
    Huge = 1UL << 17,
    Hwpoison = 1UL << 19,
    NoPage = 1UL << 20,
    Thp = 1UL << 22,
    ZeroPage = 1UL << 24,
    Mlocked = 1UL << 33,
}
