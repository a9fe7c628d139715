using System.Runtime.InteropServices;

namespace ThpTool.Lab.KernelKnobs;

/// <summary>
/// A kernel setting changed for a while. The old value comes back exactly once: on Dispose, or when the
/// process exits, is interrupted (SIGINT/SIGTERM) or dies of an unhandled exception before that.
/// </summary>
public sealed class KnobOverride : IDisposable
{
    static readonly List<KnobOverride> Active = [];
    static readonly object Gate = new();
    static bool _hooksInstalled;
    // Kept alive for the process lifetime: disposing a registration unhooks the signal.
    static readonly List<PosixSignalRegistration> SignalHooks = [];

    int _restored;

    KnobOverride(string path, string originalValue, string value) => (Path, OriginalValue, Value) = (path, originalValue, value);

    public string Path { get; }
    public string OriginalValue { get; }
    public string Value { get; }

    /// <summary>Writes <paramref name="value"/> to <paramref name="path"/>; refuses with a UserError when not root.</summary>
    public static KnobOverride Set(string path, string value)
    {
        Root.Require($"changing {path}");
        lock (Gate)
        {
            InstallHooks();
            var knob = new KnobOverride(path, KnobFile.Read(path), value);
            KnobFile.Write(path, value);
            Active.Add(knob);
            return knob;
        }
    }

    public void Dispose() => Restore();

    void Restore()
    {
        if (Interlocked.Exchange(ref _restored, 1) != 0)
            return;
        lock (Gate)
            Active.Remove(this);
        KnobFile.Write(Path, OriginalValue);
    }

    /// <summary>Newest first, so overrides of the same knob unwind to the value before the first.</summary>
    static void RestoreAll()
    {
        KnobOverride[] pending;
        lock (Gate)
            pending = [.. Active];
        for (int i = pending.Length - 1; i >= 0; i--)
        {
            try { pending[i].Restore(); }
            catch (Exception e) { Console.Error.WriteLine($"thptool: could not restore {pending[i].Path}: {e.Message}"); }
        }
    }

    static void InstallHooks()
    {
        if (_hooksInstalled)
            return;
        _hooksInstalled = true;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => RestoreAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => RestoreAll();
        // Restore before the default action, which ends the process: the signal is not cancelled.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            SignalHooks.Add(PosixSignalRegistration.Create(signal, _ => RestoreAll()));
    }
}
