using Microsoft.Win32.SafeHandles;

namespace ThpTool.Common.Output;

/// <summary>
/// A write-only stream over a descriptor whose failures become the output's one-line errors (ENOSPC, EIO, ...), so
/// an output can be rendered straight to its file or device instead of into memory first: a CSV of 100,000 hosts is
/// gigabytes.
/// </summary>
internal sealed class DescriptorStream(SafeFileHandle handle, string shown) : WriteOnlyStream
{
    public override void Write(ReadOnlySpan<byte> buffer) => OutputWriter.WriteAll(handle, buffer, shown);
    public override void Flush() { }
}
