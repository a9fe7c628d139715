using ThpTool.Experiments.Restore;

namespace ThpTool.Experiments.KernelKnobs;

/// <summary>
/// A kernel setting changed for a while. The old value comes back exactly once: on Dispose, or through
/// <see cref="ExitGuard"/> when the process exits, is interrupted or dies before that; and after a SIGKILL,
/// through <see cref="RestoreJournal"/> in the next thptool that changes the machine.
/// </summary>
public sealed class KnobOverride : IDisposable, IMachineChange
{
    int restored;

    readonly string journal;

    KnobOverride(string path, string originalValue, string value, string journal) =>
        (Path, OriginalValue, Value, this.journal) = (path, originalValue, value, journal);

    public string Path { get; }
    public string OriginalValue { get; }
    public string Value { get; }
    public string Description => Path;

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/>; refuses with a UserError when not root.</summary>
    public static KnobOverride Set(string path, string value)
    {
        Root.Require($"changing {path}");
        ExitGuard.RecoverStale();
        string original = KnobFile.Read(path);
        var knob = new KnobOverride(path, original, value, RestoreJournal.RecordKnob(path, original, value));
        try
        {
            KnobFile.Write(path, value);
        }
        catch
        {
            // Refused by the kernel: nothing changed, so nothing to undo later either.
            RestoreJournal.Forget(knob.journal);
            throw;
        }
        ExitGuard.Register(knob);
        return knob;
    }

    public void Dispose() => Undo();

    public void Undo()
    {
        if (Interlocked.Exchange(ref restored, 1) != 0)
            return;
        ExitGuard.Unregister(this);
        KnobFile.Write(Path, OriginalValue);
        RestoreJournal.Forget(journal);
    }
}
