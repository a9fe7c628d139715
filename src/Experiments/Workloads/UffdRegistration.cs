using ThpTool.Common.Errors;
using ThpTool.Common.Interop;
using ThpTool.Experiments.Interop;
using Libc = ThpTool.Experiments.Interop.Libc;

namespace ThpTool.Experiments.Workloads;

/// <summary>
/// Arms a region with userfaultfd so smaps shows um/uw/ui. Nobody reads the descriptor: the region is fully
/// populated first, and mainline maps the zero page on split, so no fault should ever wait on it.
/// </summary>
internal static class UffdRegistration
{
    public static unsafe UserfaultfdHandle Register(AlignedRegion region, UffdMode mode)
    {
        var handle = Open();
        try
        {
            var api = new Uffd.ApiArgs { Api = Uffd.Api };
            Libc.Ioctl(handle, Uffd.IoctlApi, &api, "UFFDIO_API");
            var register = new Uffd.RegisterArgs { Start = (ulong)region.Address, Length = (ulong)region.Size, Mode = ModeBits(mode) };
            try
            {
                Libc.Ioctl(handle, Uffd.IoctlRegister, &register, "UFFDIO_REGISTER");
            }
            catch (ErrnoException e) when (e.Errno == Errno.EINVAL)
            {
                throw new UserError(ExitCode.Unsupported,
                    $"this kernel cannot register anonymous memory for userfaultfd mode {mode.ToString().ToLowerInvariant()} ({e.Message})");
            }
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    static UserfaultfdHandle Open()
    {
        try
        {
            return Libc.Userfaultfd(Libc.O_CLOEXEC | Libc.O_NONBLOCK | Libc.UFFD_USER_MODE_ONLY);
        }
        catch (ErrnoException e) when (e.Errno == Errno.EINVAL)
        {
            // UFFD_USER_MODE_ONLY is 5.11+; older kernels want the plain call.
            return Libc.Userfaultfd(Libc.O_CLOEXEC | Libc.O_NONBLOCK);
        }
    }

    static ulong ModeBits(UffdMode mode) => mode switch
    {
        UffdMode.Missing => Uffd.RegisterModeMissing,
        UffdMode.Wp => Uffd.RegisterModeWp,
        UffdMode.Minor => Uffd.RegisterModeMinor,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
