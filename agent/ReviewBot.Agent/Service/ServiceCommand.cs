using System.CommandLine;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ReviewBot.Agent.Commands;

namespace ReviewBot.Agent.Service;

/// <summary>
/// <c>reviewbot-agent service install|uninstall|status --config FILE [--user] [--run-as USER] [--name NAME] [--print]</c>:
/// runs the agent as a service with its settings from the config file (<see cref="AgentConfigFile"/>), so the unit
/// holds no secret and no long command line. Linux: a systemd unit (system, or <c>--user</c>); macOS: a launchd plist
/// (a LaunchDaemon, or a LaunchAgent with <c>--user</c>); Windows: a service registered with <c>sc.exe</c>.
/// <c>--print</c> shows the file and the commands and changes nothing. Exit codes: 0 done, 1 a command failed, 2 bad usage.
/// </summary>
internal static class ServiceCommand
{
    public static Command Create()
    {
        var service = new Command("service", "Install, remove or inspect the agent as a system service (systemd, launchd, Windows service).");
        foreach (var action in Enum.GetValues<ServiceAction>())
        {
            service.Add(Subcommand(action));
        }

        return service;
    }

    private static Command Subcommand(ServiceAction action)
    {
        var config = new Option<string?>("--config")
        {
            Description = "The agent's config file (server, tokenFile, labels…); the service starts the agent with --config FILE. Required for install.",
            HelpName = "FILE",
        };
        var user = new Option<bool>("--user") { Description = "For the current user only (systemd --user, a LaunchAgent) instead of the whole machine." };
        var runAs = new Option<string?>("--run-as") { Description = "System service only: the account the agent runs as (systemd User=, launchd UserName, sc.exe obj=).", HelpName = "USER" };
        var name = new Option<string>("--name") { Description = "The service's name.", HelpName = "NAME", DefaultValueFactory = _ => ServiceFiles.DefaultName };
        var print = new Option<bool>("--print") { Description = "Print the service file and the commands instead of running them." };
        var platform = new Option<ServicePlatform?>("--platform") { Description = "With --print: the platform to write for (default: this one).", Hidden = true };
        var command = new Command(action.ToString().ToLowerInvariant(), action switch
        {
            ServiceAction.Install => "Write the service definition and enable and start it.",
            ServiceAction.Uninstall => "Stop the service (the agent drains) and remove its definition.",
            _ => "Show the service's state.",
        })
        {
            config, user, runAs, name, print, platform,
        };
        command.Validators.Add(result =>
        {
            if (action == ServiceAction.Install && string.IsNullOrWhiteSpace(result.GetValue(config)))
                result.AddError("--config is required: the service runs the agent with its settings from that file.");
            else if (result.GetValue(config) is { Length: > 0 } file && !File.Exists(file))
                result.AddError($"--config: no such file '{Path.GetFullPath(file)}'.");
            if (result.GetValue(name) is { } n && (n.Length == 0 || !n.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
                result.AddError("--name must be letters, digits, '-', '_' or '.'.");
            if (result.GetValue(platform) is not null && !result.GetValue(print))
                result.AddError("--platform needs --print: a service is installed for the platform it runs on.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var configPath = parse.GetValue(config) is { Length: > 0 } c ? Path.GetFullPath(c) : null;
            var spec = new ServiceSpec(
                parse.GetValue(name) is { Length: > 0 } given ? given : ServiceFiles.DefaultName,
                configPath is null ? AgentExecutable() : [.. AgentExecutable(), "--config", configPath],
                configPath is null ? Environment.CurrentDirectory : Path.GetDirectoryName(configPath)!,
                parse.GetValue(user),
                parse.GetValue(runAs));
            var target = parse.GetValue(platform) ?? Current();
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            var plan = target switch
            {
                ServicePlatform.Linux => ServiceFiles.Systemd(spec, home, action),
                ServicePlatform.MacOS => ServiceFiles.Launchd(spec, home, spec.PerUser ? $"gui/{UserId()}" : "system", action),
                _ => ServiceFiles.Windows(spec, action),
            };
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(print))
            {
                if (plan.FileContent is not null)
                {
                    await output.WriteLineAsync($"# {plan.FilePath}");
                    await output.WriteAsync(plan.FileContent);
                }

                foreach (var line in plan.Commands)
                {
                    await output.WriteLineAsync("$ " + string.Join(' ', line));
                }

                return 0;
            }

            return await ApplyAsync(plan, action, output, parse.InvocationConfiguration.Error, ct);
        });
        return command;
    }

    private static async Task<int> ApplyAsync(ServicePlan plan, ServiceAction action, TextWriter output, TextWriter error, CancellationToken ct)
    {
        if (action == ServiceAction.Install && plan.FilePath is { } path)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, plan.FileContent, ct);
            await output.WriteLineAsync($"wrote {path}");
        }

        foreach (var line in plan.Commands)
        {
            await output.WriteLineAsync("$ " + string.Join(' ', line));
            var start = new ProcessStartInfo(line[0]) { UseShellExecute = false };
            foreach (var argument in line.Skip(1))
            {
                start.ArgumentList.Add(argument);
            }

            try
            {
                using var process = Process.Start(start)!;
                await process.WaitForExitAsync(ct);
                if (process.ExitCode != 0 && action != ServiceAction.Status)
                {
                    await error.WriteLineAsync($"{line[0]} exited {process.ExitCode}");
                    return 1;
                }

                if (action == ServiceAction.Status)
                {
                    return process.ExitCode == 0 ? 0 : 1;
                }
            }
            catch (System.ComponentModel.Win32Exception e)
            {
                await error.WriteLineAsync($"could not run {line[0]}: {e.Message}");
                return 1;
            }
        }

        if (action == ServiceAction.Uninstall && plan.FilePath is { } file && File.Exists(file))
        {
            File.Delete(file);
            await output.WriteLineAsync($"removed {file}");
        }

        return 0;
    }

    /// <summary>How to start this agent again: the single-file executable itself, or <c>dotnet path/reviewbot-agent.dll</c>
    /// when it runs from a build.</summary>
    internal static IReadOnlyList<string> AgentExecutable()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the agent's own path is unknown");
        var host = Path.GetFileNameWithoutExtension(process);
        return string.Equals(host, "dotnet", StringComparison.OrdinalIgnoreCase)
            ? [process, Path.Combine(AppContext.BaseDirectory, "reviewbot-agent.dll")]
            : [process];
    }

    private static ServicePlatform Current() =>
        OperatingSystem.IsWindows() ? ServicePlatform.Windows : OperatingSystem.IsMacOS() ? ServicePlatform.MacOS : ServicePlatform.Linux;

    [DllImport("libc")]
    private static extern uint getuid();

    private static uint UserId() => OperatingSystem.IsWindows() ? 0 : getuid();
}
