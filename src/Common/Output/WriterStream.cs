using System.Text;

namespace ThpTool.Common.Output;

/// <summary>
/// A write-only stream that gives a writer the text of the UTF-8 bytes written to it: an output named - where standard
/// output is a writer rather than the process's descriptor 1 (a test running commands in its own process).
/// </summary>
internal sealed class WriterStream(TextWriter writer) : WriteOnlyStream
{
    readonly Decoder decoder = new UTF8Encoding(false).GetDecoder();

    public override void Write(ReadOnlySpan<byte> buffer) => Decode(buffer, flush: false);

    /// <summary>A character split across two writes waits in the decoder for its other bytes.</summary>
    void Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        var chars = new char[decoder.GetCharCount(bytes, flush)];
        int count = decoder.GetChars(bytes, chars, flush);
        writer.Write(chars, 0, count);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Decode([], flush: true);
            writer.Flush();
        }
        base.Dispose(disposing);
    }

    public override void Flush() => writer.Flush();
}
