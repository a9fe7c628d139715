using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

internal static partial class Libc
{
    // Blittable and without SetLastError, so the generator emits a plain DllImport that Marshal.Prelink can
    // bind before fork: the forked child must never enter the runtime's binder (dead threads may hold its locks).
    // pause only ever returns -1/EINTR, so errno carries nothing.
    [LibraryImport(Name, EntryPoint = "pause")]
    internal static partial int Pause();
}
