namespace ThpTool.Lab.KernelKnobs;

/// <summary>
/// A kernel setting changed for a while. The old value comes back exactly once: on Dispose, or through
/// <see cref="ExitGuard"/> when the process exits, is interrupted or dies before that.
/// </summary>
public sealed class KnobOverride : IDisposable, IMachineChange
{
    int _restored;

    KnobOverride(string path, string originalValue, string value) => (Path, OriginalValue, Value) = (path, originalValue, value);

    public string Path { get; }
    public string OriginalValue { get; }
    public string Value { get; }
    public string Description => Path;

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/>; refuses with a UserError when not root.</summary>
    public static KnobOverride Set(string path, string value)
    {
        Root.Require($"changing {path}");
        var knob = new KnobOverride(path, KnobFile.Read(path), value);
        KnobFile.Write(path, value);
        ExitGuard.Register(knob);
        return knob;
    }

    public void Dispose() => Undo();

    public void Undo()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
            return;
        ExitGuard.Unregister(this);
        KnobFile.Write(Path, OriginalValue);
    }
}
