using System.CommandLine;
using System.Diagnostics;
using System.Xml.Linq;
using ReviewBot.Agent.Service;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Service;

/// <summary>
/// <c>reviewbot-agent service</c>: the systemd unit passes <c>systemd-analyze verify</c> (Debian's systemd) and drains
/// on stop; the launchd plist and the Windows service commands are checked by content.
/// </summary>
public sealed class ServiceFilesTests : IDisposable
{
    private readonly TempDirectory _dir = new("rb-agent-service");

    public void Dispose() => _dir.Dispose();

    private ServiceSpec Spec(bool perUser, string? runAs = null)
    {
        var config = _dir.Combine("agent 50% $HOME.yaml"); // spaces, % and $ must survive systemd's quoting
        File.WriteAllText(config, "server: http://localhost:7071\n");
        return new ServiceSpec("reviewbot-agent", [.. ServiceCommand.AgentExecutable(), "--config", config], _dir.Path, perUser, runAs);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().Within(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SystemdUnit_PassesSystemdAnalyzeVerify_AndStopsTheAgentTheWayItDrains(bool perUser)
    {
        var spec = Spec(perUser, runAs: perUser ? null : "root");
        var path = _dir.Combine("reviewbot-agent.service");
        var unit = ServiceFiles.SystemdUnit(spec);
        File.WriteAllText(path, unit);

        var (exitCode, output) = await RunAsync("systemd-analyze", "verify", "--man=no", path);

        Assert.True(exitCode == 0 && !output.Contains("reviewbot-agent.service", StringComparison.Ordinal), output + "\n" + unit);
        Assert.Contains("KillMode=mixed", unit);             // SIGTERM to the agent only: it drains, its linters keep running
        Assert.Contains("TimeoutStopSec=1800", unit);
        Assert.Contains("RestartPreventExitStatus=2", unit); // refused by the server: restarting would not help
        Assert.Contains("\"--config\"", unit);
        Assert.Contains("50%% $$HOME.yaml", unit);
        Assert.Contains(perUser ? "WantedBy=default.target" : "WantedBy=multi-user.target", unit);
        Assert.Equal(!perUser, unit.Contains("User=root", StringComparison.Ordinal));
        Assert.EndsWith(perUser ? ".config/systemd/user/reviewbot-agent.service" : "/etc/systemd/system/reviewbot-agent.service",
            ServiceFiles.SystemdPath(spec, "/home/ci"));
    }

    [Fact]
    public void LaunchdPlist_IsAPropertyListThatRunsTheAgentWithItsConfig_AndRestartsItOnlyAfterAFailure()
    {
        var spec = Spec(perUser: true);

        var plist = XDocument.Parse(ServiceFiles.LaunchdPlist(spec, "/Users/ci"));

        Assert.Equal("plist", plist.DocumentType?.Name);
        var dict = plist.Root!.Element("dict")!.Elements().ToList();
        string ValueOf(string key) => dict[dict.FindIndex(e => e.Name == "key" && e.Value == key) + 1].Value;
        XElement NodeOf(string key) => dict[dict.FindIndex(e => e.Name == "key" && e.Value == key) + 1];
        Assert.Equal("com.reviewbot.reviewbot-agent", ValueOf("Label"));
        Assert.Equal([.. spec.Command], NodeOf("ProgramArguments").Elements("string").Select(e => e.Value));
        Assert.Equal("1800", ValueOf("ExitTimeOut"));
        Assert.Equal("false", NodeOf("KeepAlive").Elements().Last().Name.LocalName);
        Assert.Equal("/Users/ci/Library/LaunchAgents/com.reviewbot.reviewbot-agent.plist", ServiceFiles.LaunchdPath(spec, "/Users/ci"));
        var install = ServiceFiles.Launchd(spec, "/Users/ci", "gui/501", ServiceAction.Install);
        Assert.Equal(["launchctl", "bootstrap", "gui/501", install.FilePath!], install.Commands[0]);
    }

    [Fact]
    public void WindowsService_IsCreatedWithTheConfig_DelayedAutoStart_AndRestartOnFailure()
    {
        var spec = new ServiceSpec("reviewbot-agent", [@"C:\Program Files\ReviewBot\reviewbot-agent.exe", "--config", @"C:\ProgramData\ReviewBot\agent.yaml"], @"C:\ProgramData\ReviewBot", false, null);

        var install = ServiceFiles.Windows(spec, ServiceAction.Install);
        var uninstall = ServiceFiles.Windows(spec, ServiceAction.Uninstall);

        Assert.Null(install.FilePath);
        Assert.Equal(["sc.exe", "create", "reviewbot-agent", "binPath=", "\"C:\\Program Files\\ReviewBot\\reviewbot-agent.exe\" --config C:\\ProgramData\\ReviewBot\\agent.yaml",
            "start=", "delayed-auto", "DisplayName=", "ReviewBot agent (reviewbot-agent)"], install.Commands[0]);
        Assert.Contains(install.Commands, c => c.SequenceEqual(["sc.exe", "failure", "reviewbot-agent", "reset=", "86400", "actions=", "restart/10000/restart/60000//"]));
        Assert.Equal(["sc.exe", "start", "reviewbot-agent"], install.Commands[^1]);
        Assert.Equal([["sc.exe", "stop", "reviewbot-agent"], ["sc.exe", "delete", "reviewbot-agent"]], uninstall.Commands);
    }

    [Fact]
    public async Task ServiceInstallPrint_ShowsTheUnitAndTheCommands_AndChangesNothing()
    {
        var config = _dir.Combine("agent.yaml");
        File.WriteAllText(config, "server: http://localhost:7071\n");
        var root = new RootCommand { ServiceCommand.Create() };
        var output = new StringWriter();

        var exitCode = await root.Parse(["service", "install", "--config", config, "--user", "--print", "--platform", "Linux"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }).Within();

        Assert.True(exitCode == 0, output.ToString());
        Assert.Contains("[Service]", output.ToString());
        Assert.Contains($"--config\" \"{config}\"", output.ToString());
        Assert.Contains("$ systemctl --user enable --now reviewbot-agent.service", output.ToString());
    }

    [Fact]
    public async Task ServiceInstall_WithoutAConfigFile_IsRefused()
    {
        var root = new RootCommand { ServiceCommand.Create() };
        var error = new StringWriter();

        var exitCode = await root.Parse(["service", "install", "--print"]).InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error }).Within();

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--config is required", error.ToString());
    }
}
