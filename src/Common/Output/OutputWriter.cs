using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;
using ThpTool.Common.Interop;

namespace ThpTool.Common.Output;

/// <summary>
/// Puts finished bytes where an <see cref="OutputTarget"/> says. A regular file is never seen half-written: the bytes go
/// to a temporary file created exclusively beside it (O_EXCL|O_NOFOLLOW, a random name, 0600), are flushed to disk, given
/// the replaced file's owner and mode, and renamed over it. Devices, FIFOs and descriptors are written where they are.
/// </summary>
internal static class OutputWriter
{
    const int CreateTries = 8;
    // Temporary files still on disk: removed however the process ends, even mid-write on SIGTERM.
    static readonly ConcurrentDictionary<string, byte> Pending = new();

    static OutputWriter() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var temp in Pending.Keys)
            Remove(temp);
    };

    const int BufferBytes = 1 << 16;

    /// <summary>
    /// <paramref name="render"/> writes the output as it goes: to a temporary file that becomes the target only once it is
    /// complete, or straight to a device or descriptor, where a failure part-way cannot be taken back.
    /// </summary>
    public static void Write(OutputTarget target, string shown, uint newFileMode, Action<Stream> render)
    {
        switch (target)
        {
            case OutputTarget.Descriptor d:
                Render(new SafeFileHandle(d.Fd, ownsHandle: false), shown, render);
                break;
            case OutputTarget.InPlace p:
                using (var handle = Open(p.Path, Libc.O_WRONLY | Libc.O_TRUNC | Libc.O_NOCTTY | Libc.O_CLOEXEC, 0, shown))
                    Render(handle, shown, render);
                break;
            case OutputTarget.Replace r:
                Replace(r, shown, newFileMode, render);
                break;
        }
    }

    static void Render(SafeFileHandle handle, string shown, Action<Stream> render)
    {
        using var stream = new BufferedStream(new DescriptorStream(handle, shown), BufferBytes);
        render(stream);
    }

    static void Replace(OutputTarget.Replace target, string shown, uint newFileMode, Action<Stream> render)
    {
        var (temp, handle) = CreateTemporary(target.Path, shown);
        bool renamed = false;
        try
        {
            using (handle)
            {
                Render(handle, shown, render);
                if (target.Existing is { } old)
                    KeepOwner(handle, old, shown);
                Check(Libc.Fchmod(handle, target.Existing?.Permissions ?? newFileMode), shown);
                Check(Libc.Fsync(handle), shown);
            }
            Check(Libc.Rename(temp, target.Path), shown);
            renamed = true;
        }
        finally
        {
            Pending.TryRemove(temp, out _);
            if (!renamed)
                Remove(temp);
        }
    }

    /// <summary>A name nobody can guess, in the target's directory so the rename stays on one filesystem.</summary>
    static (string Path, SafeFileHandle Handle) CreateTemporary(string path, string shown)
    {
        string directory = Path.GetDirectoryName(path) ?? "/";
        string name = Path.GetFileName(path);
        for (int attempt = 1; ; attempt++)
        {
            // Short enough for NAME_MAX (255) however long the target's name.
            string temp = Path.Combine(directory, $".{name[..Math.Min(name.Length, 200)]}.{RandomNumberGenerator.GetHexString(16, lowercase: true)}.tmp");
            Pending[temp] = 0;
            var handle = Libc.Open(temp, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_EXCL | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0x180);
            if (!handle.IsInvalid)
                return (temp, handle);
            int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
            Pending.TryRemove(temp, out _);
            if (errno != Errno.EEXIST || attempt == CreateTries)
                throw OutputError.From(shown, errno);
        }
    }

    /// <summary>Root gives the file back to its owner; anyone else cannot give a file away, and keeps it.</summary>
    static void KeepOwner(SafeFileHandle handle, FileStatus old, string shown)
    {
        if (Libc.Fchown(handle, old.Uid, old.Gid) != 0 && Libc.Geteuid() == 0)
            throw OutputError.FromLastError(shown);
    }

    static SafeFileHandle Open(string path, int flags, uint mode, string shown)
    {
        var handle = Libc.Open(path, flags, mode);
        if (handle.IsInvalid)
            throw OutputError.FromLastError(shown);
        return handle;
    }

    internal static unsafe void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> bytes, string shown)
    {
        fixed (byte* start = bytes)
        {
            for (int done = 0; done < bytes.Length;)
            {
                nint written = Libc.Write(handle, start + done, (nuint)(bytes.Length - done));
                if (written < 0)
                {
                    int errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                    if (errno == Errno.EINTR) continue;
                    throw OutputError.From(shown, errno);
                }
                done += (int)written;
            }
        }
    }

    static void Check(int result, string shown)
    {
        if (result != 0)
            throw OutputError.FromLastError(shown);
    }

    static void Remove(string temp)
    {
        try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
