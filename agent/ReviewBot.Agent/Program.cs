using System.CommandLine;
using ReviewBot.Agent.Commands;
using ReviewBot.Agent.Hosting;
using ReviewBot.Agent.Service;

// Under the Windows service control manager the agent runs inside the generic host (service stop = drain).
var root = AgentCommand.Create(OperatingSystem.IsWindows() && WindowsServiceHost.IsWindowsService() ? WindowsServiceHost.RunAsync : AgentHost.RunAsync);

root.Add(LintOutputCommand.Create());
root.Add(RegisterCommand.Create());
root.Add(ServiceCommand.Create());

// The agent handles SIGTERM/SIGINT itself (drain, then cancel): turn off System.CommandLine's handling.
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
