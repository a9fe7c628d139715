using ThpTool.Cli;

namespace ThpTool.Tests.Cli;

public sealed class CliHelpTests
{
    [Fact]
    public void EveryCommandsHelpHasAnExample()
    {
        // The hidden workload command is the lab's instrument, not a user's.
        foreach (var command in CliApp.BuildRoot().Subcommands.Where(c => !c.Hidden))
            Assert.Contains("Example", command.Description);
    }

    [Fact]
    public void ScanningCommandsShareTheFleetOptions()
    {
        foreach (var name in new[] { "scan", "sweep" })
        {
            var command = CliApp.BuildRoot().Subcommands.Single(c => c.Name == name);
            foreach (var option in new[] { "--pid", "--all", "--cgroup", "--quiet", "--dotnet-gc", "--threads" })
                Assert.Contains(command.Options, o => o.Name == option);
        }
    }
}
