using System.Collections.Concurrent;
using System.Diagnostics;

namespace ReviewBot.Tests.Infrastructure;

/// <summary>A real `reviewbot-agent` process (the built agent next to the tests), with its output captured.</summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private AgentProcess(Process process, string name, string workDir)
    {
        _process = process;
        Name = name;
        WorkDir = workDir;
    }

    /// <summary>The agent as built in its own output folder (its deps.json resolves its own packages), same configuration as the tests.</summary>
    public static string AgentDll { get; } = Path.Combine(RepoPaths.Root, "agent", "ReviewBot.Agent", "bin",
        new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "reviewbot-agent.dll");

    public string Name { get; }
    public string WorkDir { get; }
    public int Pid => _process.Id;
    public bool HasExited => _process.HasExited;
    public string Output => string.Join('\n', _output);

    /// <summary>For <c>token</c>: start without --token (the work dir must hold the agent's credential).</summary>
    public const string NoToken = "";

    /// <param name="token">The bootstrap (or shared) token; default <see cref="TestApp.AgentToken"/>, <see cref="NoToken"/> for none.</param>
    /// <param name="executable">A published single-file agent to run instead of the built dll.</param>
    public static AgentProcess Start(string serverUrl, string name, IEnumerable<string> labels, int capacity = 1, bool exclusive = false,
        string? token = null, string? workDir = null, IDictionary<string, string>? environment = null, IEnumerable<string>? extraArgs = null, string? executable = null)
    {
        workDir ??= Directory.CreateTempSubdirectory($"reviewbot-agent-{name}-").FullName;
        var psi = new ProcessStartInfo(executable ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        if (executable is null) { psi.ArgumentList.Add("exec"); psi.ArgumentList.Add(AgentDll); }
        foreach (var a in new[] { "--server", serverUrl, "--name", name, "--capacity", capacity.ToString(), "--work-dir", workDir })
            psi.ArgumentList.Add(a);
        token ??= TestApp.AgentToken;
        if (token != NoToken) { psi.ArgumentList.Add("--token"); psi.ArgumentList.Add(token); }
        var labelList = labels.ToList();
        if (labelList.Count > 0) { psi.ArgumentList.Add("--labels"); psi.ArgumentList.Add(string.Join(',', labelList)); }
        if (exclusive) psi.ArgumentList.Add("--exclusive");
        foreach (var a in extraArgs ?? []) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        var process = Process.Start(psi)!;
        var agent = new AgentProcess(process, name, workDir);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) agent._output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) agent._output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return agent;
    }

    /// <summary>Runs <c>reviewbot-agent register</c> to the end: its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RegisterAsync(string serverUrl, string token, string workDir, string name)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "exec", AgentDll, "register", "--server", serverUrl, "--token", token, "--work-dir", workDir, "--name", name })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WithTimeout(Timeouts.Long, "reviewbot-agent register to exit");
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>SIGKILL of the agent and everything it started: a machine that dies mid-task.</summary>
    public void Kill()
    {
        try { _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    /// <summary>SIGTERM: the agent drains.</summary>
    public void Terminate()
    {
        if (!_process.HasExited) Signals.Terminate(_process.Id);
    }

    public Task WaitForExitAsync(TimeSpan timeout) => _process.WaitForExitAsync().WithTimeout(timeout, $"agent {Name} to exit");

    public int ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        Kill();
        try { await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)); } catch (TimeoutException) { }
        _process.Dispose();
        try { Directory.Delete(WorkDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
