using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace ThpTool.Scanner.Procfs;

/// <summary>
/// Parses /proc/PID/smaps. Unknown keys and VmFlags codes are kept or ignored, never fatal. Works on the bytes as read,
/// a line at a time in a reused buffer: with 60,000 VMAs smaps is 43 MB and 1.5 million lines, and a string per
/// line cost the scan more than the kernel took to write them.
/// </summary>
public static class SmapsParser
{
    const int BufferBytes = 64 * 1024;

    public static List<SmapsVma> Parse(string text) => Parse(new MemoryStream(Encoding.UTF8.GetBytes(text))).ToList();

    /// <summary>
    /// One VMA at a time, as the stream yields them: a process with hundreds of thousands of mappings is scanned
    /// without holding its smaps text or a list of its VMAs.
    /// </summary>
    public static IEnumerable<SmapsVma> Parse(Stream stream, int bufferBytes = BufferBytes)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
        var fields = new Fields();
        int start = 0, end = 0;
        bool eof = false;
        try
        {
            while (true)
            {
                int newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                int lineEnd = newline >= 0 ? start + newline : eof && end > start ? end : -1;
                if (lineEnd >= 0)
                {
                    var done = fields.Add(buffer.AsSpan(start, lineEnd - start));
                    start = Math.Min(lineEnd + 1, end);
                    if (done is not null) yield return done;
                    continue;
                }
                if (eof) break;
                // No whole line left: keep the partial one at the front (a line longer than the buffer grows it).
                if (start > 0)
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    (end, start) = (end - start, 0);
                }
                if (end == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                int read = stream.Read(buffer, end, buffer.Length - end);
                if (read == 0) eof = true;
                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        if (fields.Flush() is { } last) yield return last;
    }

    /// <summary>The VMA being read: its header, and the keys seen so far.</summary>
    sealed class Fields
    {
        readonly Interned perms = new(16), flagLines = new(64), paths = new(4);
        readonly Dictionary<string, IReadOnlyList<string>> flagLists = [];
        Header? current;
        long rss, anonHuge, shmemPmd, anonymous, shared;
        IReadOnlyList<string> flags = [];

        /// <summary>Takes one line; returns the previous VMA when the line starts the next one.</summary>
        public SmapsVma? Add(ReadOnlySpan<byte> text)
        {
            var line = text.TrimEnd(Whitespace);
            if (line.IsEmpty) return null;
            if (TryParseHeader(line, out var header))
            {
                var done = Flush();
                current = header;
                return done;
            }
            int colon = line.IndexOf((byte)':');
            if (colon <= 0 || current is null) return null;
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim(Whitespace);
            if (key.SequenceEqual("Rss"u8)) rss = Kilobytes(value);
            else if (key.SequenceEqual("AnonHugePages"u8)) anonHuge = Kilobytes(value);
            else if (key.SequenceEqual("ShmemPmdMapped"u8)) shmemPmd = Kilobytes(value);
            else if (key.SequenceEqual("Anonymous"u8)) anonymous = Kilobytes(value);
            else if (key.SequenceEqual("Shared_Clean"u8) || key.SequenceEqual("Shared_Dirty"u8)) shared += Kilobytes(value);
            else if (key.SequenceEqual("VmFlags"u8)) flags = FlagsOf(value);
            return null;
        }

        public SmapsVma? Flush()
        {
            var vma = current is { } h
                ? new SmapsVma(h.Start, h.End, h.Perms, h.Offset, h.Path, flags, rss, anonHuge, shmemPmd)
                {
                    AnonymousKb = anonymous,
                    SharedKb = shared,
                }
                : null;
            current = null;
            rss = anonHuge = shmemPmd = anonymous = shared = 0;
            flags = [];
            return vma;
        }

        /// <summary>A process has a handful of distinct VmFlags lines; VMAs with the same one share its list.</summary>
        IReadOnlyList<string> FlagsOf(ReadOnlySpan<byte> value)
        {
            var line = flagLines.Get(value);
            if (!flagLists.TryGetValue(line, out var list))
                flagLists[line] = list = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return list;
        }

        /// <summary>"7f..-7f.. rw-p 00000000 00:00 0   [heap]": a header has a '-' in its first field and no ':' key.</summary>
        bool TryParseHeader(ReadOnlySpan<byte> line, out Header header)
        {
            header = default;
            int space = line.IndexOf((byte)' ');
            if (space <= 0) return false;
            var range = line[..space];
            int dash = range.IndexOf((byte)'-');
            if (dash <= 0 || !TryHex(range[..dash], out var start) || !TryHex(range[(dash + 1)..], out var end))
                return false;

            // perms offset dev inode path; the path may contain spaces, so it is all that follows the fourth field.
            var rest = line[(space + 1)..];
            Span<Range> fields = stackalloc Range[4];
            int at = 0;
            for (int i = 0; i < fields.Length; i++)
            {
                at += SpacesAt(rest[at..]);
                if (at == rest.Length) return false;
                int length = rest[at..].IndexOf((byte)' ');
                if (length < 0) length = rest.Length - at;
                fields[i] = new Range(at, at + length);
                at += length;
            }
            at += SpacesAt(rest[at..]);
            TryHex(rest[fields[1]], out var offset);
            string path = at < rest.Length ? paths.Get(rest[at..]).Trim() : "";
            header = new Header(start, end, perms.Get(rest[fields[0]]), offset, path);
            return true;
        }
    }

    readonly record struct Header(ulong Start, ulong End, string Perms, ulong Offset, string Path);

    /// <summary>
    /// The strings of the last few distinct byte sequences seen, so that the VMAs of a library, or thousands with the
    /// same permissions, share one string instead of each allocating its own.
    /// </summary>
    sealed class Interned(int capacity)
    {
        readonly (byte[] Bytes, string Text)[] recent = new (byte[], string)[capacity];
        int next;

        public string Get(ReadOnlySpan<byte> bytes)
        {
            foreach (var (b, text) in recent)
                if (b is not null && bytes.SequenceEqual(b)) return text;
            // Invalid UTF-8 (a file name is any bytes) becomes U+FFFD, as a StreamReader would make it.
            var s = Encoding.UTF8.GetString(bytes);
            recent[next] = (bytes.ToArray(), s);
            next = (next + 1) % recent.Length;
            return s;
        }
    }

    // The ASCII part of what string.Trim() removes; the kernel pads with spaces. A path is trimmed as a string.
    static ReadOnlySpan<byte> Whitespace => " \t\n\v\f\r"u8;

    static int SpacesAt(ReadOnlySpan<byte> text)
    {
        int n = text.IndexOfAnyExcept((byte)' ');
        return n < 0 ? text.Length : n;
    }

    static bool TryHex(ReadOnlySpan<byte> text, out ulong value) =>
        Utf8Parser.TryParse(text, out value, out int used, 'x') && used == text.Length;

    static long Kilobytes(ReadOnlySpan<byte> value)
    {
        int space = value.IndexOf((byte)' ');
        var number = space < 0 ? value : value[..space];
        return Utf8Parser.TryParse(number, out long kb, out int used) && used == number.Length ? kb : 0;
    }
}
