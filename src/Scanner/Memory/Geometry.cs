namespace ThpTool.Scanner.Memory;

/// <summary>
/// PMD-sized THP geometry on x86-64 and arm64 with 4 KiB pages: the one layout the tool models and the lab builds.
/// A scan file records the page and PMD sizes of the host it came from, and files with others are refused.
/// </summary>
public static class Geometry
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;
    public const int SubpagesPerThp = 512;
    public const long ThpSize = (long)PageSize * SubpagesPerThp;
}
