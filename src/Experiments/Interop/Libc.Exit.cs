using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    // _exit, not exit: a forked child must not run the runtime's atexit handlers or flush the parent's buffers.
    [LibraryImport(Name, EntryPoint = "_exit")]
    internal static partial void Exit(int status);
}
