namespace ThpTool.Experiments.KernelKnobs;

/// <summary>Runs the deferred-split shrinker now, instead of waiting for memory pressure.</summary>
public static class ShrinkerTrigger
{
    public const string DropCaches = "/proc/sys/vm/drop_caches";

    /// <summary>
    /// "2" drops slab objects, which runs every registered shrinker over every memcg and node, the
    /// deferred-split one included; the page cache is left alone.
    /// </summary>
    public static void Run()
    {
        Root.Require($"writing {DropCaches}");
        KnobFile.Write(DropCaches, "2");
    }
}
