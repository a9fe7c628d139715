namespace ThpTool.Experiments.Workloads;

/// <summary>The userfaultfd registration modes, named as smaps shows them (um, uw, ui).</summary>
public enum UffdMode
{
    Missing,
    Wp,
    Minor,
}
