namespace ThpTool.Lab;

/// <summary>PMD-sized THP geometry on x86-64 and arm64 with 4 KiB pages, the only layout the lab builds.</summary>
public static class Geometry
{
    public const int PageSize = 4096;
    public const int SubpagesPerThp = 512;
    public const long ThpSize = (long)PageSize * SubpagesPerThp;
}
