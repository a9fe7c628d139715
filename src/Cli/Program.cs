using ThpTool.Cli;

return await CliApp.RunAsync(args);
