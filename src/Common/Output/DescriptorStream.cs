using Microsoft.Win32.SafeHandles;

namespace ThpTool.Common.Output;

/// <summary>
/// A write-only stream over a descriptor whose failures become the output's one-line errors (ENOSPC, EIO, ...), so
/// an output can be rendered straight to its file or device instead of into memory first: a CSV of 100,000 hosts is
/// gigabytes.
/// </summary>
internal sealed class DescriptorStream(SafeFileHandle handle, string shown) : Stream
{
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
    public override void Write(ReadOnlySpan<byte> buffer) => OutputWriter.WriteAll(handle, buffer, shown);
    public override void Flush() { }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
