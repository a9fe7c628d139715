using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Restore;

/// <summary>Something this process changed on the machine and must undo exactly once.</summary>
public interface IMachineChange
{
    string Description { get; }
    void Undo();
}

/// <summary>
/// Undoes every registered change that is still in force when the process exits, is interrupted
/// (SIGINT/SIGTERM) or dies of an unhandled exception: the paths on which no finally block may run.
/// </summary>
public static class ExitGuard
{
    static readonly List<IMachineChange> Active = [];
    static readonly object Gate = new();
    static bool hooksInstalled;
    // Kept alive for the process lifetime: disposing a registration unhooks the signal.
    static readonly List<PosixSignalRegistration> SignalHooks = [];

    public static void Register(IMachineChange change)
    {
        lock (Gate)
        {
            InstallHooks();
            Active.Add(change);
        }
    }

    /// <summary>Before a new change: undo what killed thptool processes left, and say so.</summary>
    public static void RecoverStale()
    {
        foreach (var line in RestoreJournal.RecoverStale())
            Console.Error.WriteLine($"thptool: {line}");
    }

    public static void Unregister(IMachineChange change)
    {
        lock (Gate)
            Active.Remove(change);
    }

    /// <summary>Newest first, so changes unwind in the reverse order they were made.</summary>
    static void UndoAll()
    {
        IMachineChange[] pending;
        lock (Gate)
            pending = [.. Active];
        for (int i = pending.Length - 1; i >= 0; i--)
        {
            try { pending[i].Undo(); }
            catch (Exception e) { Console.Error.WriteLine($"thptool: could not undo {pending[i].Description}: {e.Message}"); }
        }
    }

    static void InstallHooks()
    {
        if (hooksInstalled)
            return;
        hooksInstalled = true;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => UndoAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => UndoAll();
        // Undo before the default action, which ends the process: the signal is not cancelled.
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            SignalHooks.Add(PosixSignalRegistration.Create(signal, _ => UndoAll()));
    }
}
