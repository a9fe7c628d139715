using System.Text;
using ThpTool.Common.Errors;

namespace ThpTool.Common.Output;

/// <summary>
/// The process's own standard output as a command's writer. A write that fails (a full disk behind `&gt; file`, a closed
/// pipe) becomes one line on stderr and the I/O exit code, like a failed output file, instead of an exception out of the
/// console. An output named - or /dev/stdout goes to descriptor 1 itself (<see cref="OutputPath"/>); any other writer,
/// such as a test's, is given the output's text.
/// </summary>
public sealed class ProcessStandardOutput : TextWriter
{
    readonly TextWriter inner = Console.Out;

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => Guarded(() => inner.Write(value));
    public override void Write(string? value) => Guarded(() => inner.Write(value));
    public override void Write(char[] buffer, int index, int count) => Guarded(() => inner.Write(buffer, index, count));
    public override void WriteLine(string? value) => Guarded(() => inner.WriteLine(value));
    public override void Flush() => Guarded(inner.Flush);

    static void Guarded(Action write)
    {
        try { write(); }
        catch (IOException e) { throw new UserError(ExitCode.IoError, $"cannot write standard output: {e.Message}"); }
    }
}
