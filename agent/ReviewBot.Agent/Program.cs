using System.CommandLine;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Hosting;

var root = AgentCommand.Create(AgentHost.RunAsync);

root.Add(LintOutputCommand.Create());
root.Add(RegisterCommand.Create());

// The agent handles SIGTERM/SIGINT itself (drain, then cancel): turn off System.CommandLine's handling.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
