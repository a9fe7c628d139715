namespace ThpTool.Experiments.Interop;

/// <summary>The userfaultfd ABI from include/uapi/linux/userfaultfd.h.</summary>
internal static class Uffd
{
    internal const ulong Api = 0xAA;
    internal const nuint IoctlApi = 0xC018AA3F;      // _IOWR(0xAA, 0x3F, struct uffdio_api)
    internal const nuint IoctlRegister = 0xC020AA00; // _IOWR(0xAA, 0x00, struct uffdio_register)

    internal const ulong RegisterModeMissing = 1;
    internal const ulong RegisterModeWp = 2;
    internal const ulong RegisterModeMinor = 4;

    internal struct ApiArgs
    {
        public ulong Api;
        public ulong Features;
        public ulong Ioctls;
    }

    internal struct RegisterArgs
    {
        public ulong Start;
        public ulong Length;
        public ulong Mode;
        public ulong Ioctls;
    }
}
