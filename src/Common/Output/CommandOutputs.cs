using ThpTool.Common.Errors;

namespace ThpTool.Common.Output;

/// <summary>
/// The outputs of one command run: each checked before any work, and standard output given to one of them at most.
/// <paramref name="standardOutput"/> is the command's (see <see cref="OutputPath"/>).
/// </summary>
public sealed class CommandOutputs(TextWriter standardOutput)
{
    string? standardOutputOwner;

    /// <summary>Null when the option was not given.</summary>
    public OutputPath? File(string? path, string option, Readers readers = Readers.Everyone)
    {
        if (path is null)
            return null;
        var output = new OutputPath(path, option, readers, standardOutput);
        if (output.IsStandardOutput)
            ClaimStandardOutput($"{option} {path}");
        return output;
    }

    /// <summary>A document printed to standard output, such as --json.</summary>
    public void ClaimStandardOutput(string what)
    {
        if (standardOutputOwner is { } first)
            throw new UserError(ExitCode.Usage, $"{first} and {what} both write to standard output; send one of them to a file");
        standardOutputOwner = what;
    }

    /// <summary>True when an output or document has standard output, and the terminal summary must stay off it.</summary>
    public bool StandardOutputTaken => standardOutputOwner is not null;
}
