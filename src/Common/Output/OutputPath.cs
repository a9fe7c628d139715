using System.Text;
using ThpTool.Common.Errors;

namespace ThpTool.Common.Output;

/// <summary>Who may read a new output file: everyone, or its owner alone when it holds processes' command lines.</summary>
public enum Readers
{
    /// <summary>0644.</summary>
    Everyone,
    /// <summary>0600: scan files and reports, which name every process and its command line.</summary>
    OwnerOnly,
}

/// <summary>
/// One output a command writes (-o, --csv, --html, ...), checked when it is made, so a bad path fails before any scan,
/// and checked again when written, since the path may have changed during the scan.
/// </summary>
public sealed class OutputPath
{
    readonly Readers readers;
    readonly TextWriter? standardOutput;

    /// <summary>
    /// <paramref name="standardOutput"/> is the command's standard output, where an output named - goes: null or a
    /// <see cref="ProcessStandardOutput"/> for the process's descriptor 1.
    /// </summary>
    public OutputPath(string path, string option, Readers readers = Readers.Everyone, TextWriter? standardOutput = null)
    {
        if (path.Length == 0)
            throw new UserError(ExitCode.Usage, $"{option}: the file name is empty; give a file, or - for standard output");
        (Path, this.readers, this.standardOutput) = (path, readers, standardOutput);
        IsStandardOutput = OutputTarget.Resolve(path) is OutputTarget.Descriptor { Fd: 1 };
    }

    string Path { get; }
    public bool IsStandardOutput { get; }

    /// <summary>
    /// <paramref name="render"/> writes the output as it goes. A regular file is replaced only once it is complete, so a
    /// failure leaves the old file and no temporary one; a device or standard output keeps what was written before it.
    /// </summary>
    public void Write(Action<Stream> render)
    {
        if (IsStandardOutput)
        {
            // Whatever went to standard output before comes first.
            (standardOutput ?? Console.Out).Flush();
            if (standardOutput is { } writer and not ProcessStandardOutput)
            {
                using var text = new WriterStream(writer);
                render(text);
                return;
            }
        }
        OutputWriter.Write(OutputTarget.Resolve(Path), ToString(), readers == Readers.OwnerOnly ? 0x180u : 0x1A4u, render);
    }

    /// <summary>The output as messages name it.</summary>
    public override string ToString() => Path == "-" ? "standard output" : Path;

    public void WriteText(string text) => WriteBytes(new UTF8Encoding(false).GetBytes(text));

    public void WriteBytes(byte[] bytes) => Write(stream => stream.Write(bytes));
}
