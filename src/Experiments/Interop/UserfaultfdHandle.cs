using System.Runtime.InteropServices;

namespace ThpTool.Experiments.Interop;

/// <summary>Owns a userfaultfd descriptor; closing it drops every registration made through it.</summary>
internal sealed class UserfaultfdHandle : SafeHandle
{
    public UserfaultfdHandle() : base(-1, ownsHandle: true) { }

    internal UserfaultfdHandle(int fd) : this() => SetHandle(fd);

    public override bool IsInvalid => handle < 0;

    protected override bool ReleaseHandle() => Libc.Close((int)handle) == 0;
}
