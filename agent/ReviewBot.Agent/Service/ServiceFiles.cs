using System.Globalization;
using System.Security;
using System.Text;

namespace ReviewBot.Agent.Service;

internal enum ServicePlatform { Linux, MacOS, Windows }

/// <summary>What <c>reviewbot-agent service install</c> sets up: the agent started as <paramref name="Command"/>
/// (the executable, then <c>--config FILE</c>), for the machine or for the current user only.</summary>
/// <param name="Command">The executable and its arguments, absolute paths.</param>
/// <param name="WorkingDirectory">The config file's folder.</param>
/// <param name="RunAs">System units only: the user the agent runs as (systemd <c>User=</c>); null = root / LocalSystem.</param>
internal sealed record ServiceSpec(string Name, IReadOnlyList<string> Command, string WorkingDirectory, bool PerUser, string? RunAs);

/// <summary>One file to write (its path and content) and the commands that enable or remove it.</summary>
internal sealed record ServicePlan(string? FilePath, string? FileContent, IReadOnlyList<IReadOnlyList<string>> Commands);

/// <summary>
/// The service definitions, as text, for each platform (pure: no I/O). Every one stops the agent the way it drains:
/// systemd sends SIGTERM to the agent only (<c>KillMode=mixed</c>: the linters in their own process groups are not
/// signalled with it) and waits up to 30 minutes before killing; launchd sends SIGTERM and waits <c>ExitTimeOut</c>;
/// a Windows service stop drains through the host (<see cref="Hosting.WindowsServiceHost"/>). Restarts on failure,
/// never after exit code 2 (the server refused the agent: restarting would not help) nor 0 or 3 (stopped on purpose).
/// </summary>
internal static class ServiceFiles
{
    public const string DefaultName = "reviewbot-agent";
    public const string LaunchdLabelPrefix = "com.reviewbot.";
    public static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(30);

    public static string SystemdPath(ServiceSpec spec, string home) =>
        spec.PerUser ? Path.Combine(home, ".config", "systemd", "user", spec.Name + ".service") : $"/etc/systemd/system/{spec.Name}.service";

    public static string SystemdUnit(ServiceSpec spec)
    {
        var unit = new StringBuilder();
        unit.Append(CultureInfo.InvariantCulture, $"""
            [Unit]
            Description=ReviewBot agent ({spec.Name})
            Wants=network-online.target
            After=network-online.target

            [Service]
            Type=exec
            ExecStart={string.Join(' ', spec.Command.Select(SystemdQuote))}
            WorkingDirectory={spec.WorkingDirectory.Replace("%", "%%", StringComparison.Ordinal)}

            """);
        if (!spec.PerUser && spec.RunAs is { } user)
        {
            unit.Append(CultureInfo.InvariantCulture, $"User={user}\n");
        }

        unit.Append(CultureInfo.InvariantCulture, $"""
            Restart=on-failure
            RestartSec=10
            RestartPreventExitStatus=2
            SuccessExitStatus=3
            KillMode=mixed
            KillSignal=SIGTERM
            TimeoutStopSec={(int)StopTimeout.TotalSeconds}

            [Install]
            WantedBy={(spec.PerUser ? "default.target" : "multi-user.target")}

            """);
        return unit.ToString();
    }

    public static ServicePlan Systemd(ServiceSpec spec, string home, ServiceAction action)
    {
        string[] systemctl = spec.PerUser ? ["systemctl", "--user"] : ["systemctl"];
        var path = SystemdPath(spec, home);
        var unit = spec.Name + ".service";
        return action switch
        {
            ServiceAction.Install => new(path, SystemdUnit(spec), [[.. systemctl, "daemon-reload"], [.. systemctl, "enable", "--now", unit]]),
            ServiceAction.Uninstall => new(path, null, [[.. systemctl, "disable", "--now", unit], [.. systemctl, "daemon-reload"]]),
            _ => new(null, null, [[.. systemctl, "status", "--no-pager", unit]]),
        };
    }

    /// <summary>systemd's command-line quoting: double quotes, backslash escapes, and <c>%</c> / <c>$</c> doubled so
    /// they are not specifiers or variables.</summary>
    public static string SystemdQuote(string value) =>
        "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal) + "\"";

    public static string LaunchdLabel(ServiceSpec spec) => LaunchdLabelPrefix + spec.Name;

    public static string LaunchdPath(ServiceSpec spec, string home) =>
        spec.PerUser ? Path.Combine(home, "Library", "LaunchAgents", LaunchdLabel(spec) + ".plist") : $"/Library/LaunchDaemons/{LaunchdLabel(spec)}.plist";

    public static string LaunchdPlist(ServiceSpec spec, string home)
    {
        var log = spec.PerUser ? Path.Combine(home, "Library", "Logs", spec.Name + ".log") : $"/Library/Logs/{spec.Name}.log";
        var plist = new StringBuilder();
        plist.Append("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>

            """);
        plist.Append(CultureInfo.InvariantCulture, $"  <key>Label</key>\n  <string>{Xml(LaunchdLabel(spec))}</string>\n");
        plist.Append("  <key>ProgramArguments</key>\n  <array>\n");
        foreach (var argument in spec.Command)
        {
            plist.Append(CultureInfo.InvariantCulture, $"    <string>{Xml(argument)}</string>\n");
        }

        plist.Append("  </array>\n");
        plist.Append(CultureInfo.InvariantCulture, $"  <key>WorkingDirectory</key>\n  <string>{Xml(spec.WorkingDirectory)}</string>\n");
        if (!spec.PerUser && spec.RunAs is { } user)
        {
            plist.Append(CultureInfo.InvariantCulture, $"  <key>UserName</key>\n  <string>{Xml(user)}</string>\n");
        }

        plist.Append(CultureInfo.InvariantCulture, $"""
              <key>RunAtLoad</key>
              <true/>
              <key>KeepAlive</key>
              <dict>
                <key>SuccessfulExit</key>
                <false/>
              </dict>
              <key>ExitTimeOut</key>
              <integer>{(int)StopTimeout.TotalSeconds}</integer>
              <key>StandardOutPath</key>
              <string>{Xml(log)}</string>
              <key>StandardErrorPath</key>
              <string>{Xml(log)}</string>
            </dict>
            </plist>

            """);
        return plist.ToString();
    }

    /// <param name="domain">launchd's domain: <c>gui/&lt;uid&gt;</c> for a user, <c>system</c> for the machine.</param>
    public static ServicePlan Launchd(ServiceSpec spec, string home, string domain, ServiceAction action)
    {
        var path = LaunchdPath(spec, home);
        var target = $"{domain}/{LaunchdLabel(spec)}";
        return action switch
        {
            ServiceAction.Install => new(path, LaunchdPlist(spec, home), [["launchctl", "bootstrap", domain, path], ["launchctl", "enable", target]]),
            ServiceAction.Uninstall => new(path, null, [["launchctl", "bootout", target]]),
            _ => new(null, null, [["launchctl", "print", target]]),
        };
    }

    /// <summary>Windows has no file: <c>sc.exe</c> registers the service (delayed automatic start, restart on failure).</summary>
    public static ServicePlan Windows(ServiceSpec spec, ServiceAction action)
    {
        var binPath = string.Join(' ', spec.Command.Select(WindowsQuote));
        IReadOnlyList<IReadOnlyList<string>> commands = action switch
        {
            ServiceAction.Install =>
            [
                [.. new[] { "sc.exe", "create", spec.Name, "binPath=", binPath, "start=", "delayed-auto", "DisplayName=", $"ReviewBot agent ({spec.Name})" }
                    .Concat(spec.RunAs is { } user ? ["obj=", user] : [])],
                ["sc.exe", "description", spec.Name, "Runs ReviewBot's lint tasks and jobs on this machine."],
                ["sc.exe", "failure", spec.Name, "reset=", "86400", "actions=", "restart/10000/restart/60000//"],
                ["sc.exe", "start", spec.Name],
            ],
            ServiceAction.Uninstall => [["sc.exe", "stop", spec.Name], ["sc.exe", "delete", spec.Name]],
            _ => [["sc.exe", "query", spec.Name]],
        };
        return new ServicePlan(null, null, commands);
    }

    private static string WindowsQuote(string value) => value.Contains(' ', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal)
        ? "\"" + value.Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
        : value;

    private static string Xml(string value) => SecurityElement.Escape(value);
}

internal enum ServiceAction { Install, Uninstall, Status }
