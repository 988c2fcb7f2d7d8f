using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using ReviewBot.Functions.Configuration;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Configuration;

/// <summary>Security review D12: the configuration file has a size cap and a nesting cap, and an invalid file ends the
/// app's process with its file:line:col messages on stderr and exit code 2, without a stack trace.</summary>
public sealed class ConfigBoundsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reviewbot-config-bounds-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string FlowNesting(int depth) => "linters: { lint: { command: [lint], args: " + new string('[', depth) + new string(']', depth) + " } }\n";

    private static string BlockNesting(int depth)
    {
        var yaml = new StringBuilder("repos:\n");
        for (var i = 1; i <= depth; i++) yaml.Append(' ', i).Append("a:\n");
        return yaml.ToString();
    }

    [Fact]
    public void AFileOverTheSizeCap_IsRefusedBeforeItIsRead()
    {
        var path = Write("big.yaml", "linters: {}\n# " + new string('x', ConfigOptions.DefaultMaxBytes) + "\n");

        var error = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Load(path)).Errors);

        Assert.Equal((path, 0), (error.File, error.Line));
        Assert.Contains($"at most {ConfigOptions.DefaultMaxBytes} bytes", error.Message);
        Assert.Contains("ConfigMaxBytes", error.Message);
    }

    [Fact]
    public async Task TheSizeCapIsASetting()
    {
        var path = Write("small.yaml", "linters: { lint: { command: [lint], args: [" + string.Join(", ", Enumerable.Repeat("\"--flag\"", 200)) + "] } }\n");
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = _folder });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["ReviewBot:ConfigPath"] = path, ["ReviewBot:ConfigMaxBytes"] = "1024" });
        await using var app = builder.AddReviewConfiguration().Build();

        var e = await Assert.ThrowsAsync<ConfigException>(() => app.StartAsync().WaitAsync(Timeouts.Short));

        Assert.Contains("at most 1024 bytes", e.Message);
    }

    [Theory]
    [InlineData(30_000, true)]
    [InlineData(30_000, false)]
    [InlineData(ConfigOptions.MaxNesting + 1, true)]
    public void NestingDeeperThanTheCap_IsAnErrorAtItsPosition(int depth, bool flow)
    {
        var errors = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(flow ? FlowNesting(depth) : BlockNesting(depth), "deep.yaml")).Errors;

        var error = Assert.Single(errors);
        Assert.True(error.Line > 0 && error.Column > 0, error.ToString());
        Assert.Contains($"nested more than {ConfigOptions.MaxNesting} levels", error.Message);
    }

    [Fact]
    public void NestingAtTheCap_IsReadAsUsual()
    {
        // The linter's args sit two levels down; the list of lists fills the rest.
        var errors = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(FlowNesting(ConfigOptions.MaxNesting - 3), "deep.yaml")).Errors;

        Assert.DoesNotContain(errors, e => e.Message.Contains("nested more than"));
    }

    /// <summary>The app as it is started: the built ReviewBot.Functions with its own deps, no storage needed to fail.</summary>
    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAppAsync(string configPath)
    {
        var dll = Path.Combine(RepoPaths.Root, "functions", "ReviewBot.Functions", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0", "ReviewBot.Functions.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "exec", dll, $"--ReviewBot:ConfigPath={configPath}", "--urls=http://127.0.0.1:0" }) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_gcServer"] = "0";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        try { await process.WaitForExitAsync().WithTimeout(Timeouts.Long, "the app to stop on a bad configuration"); }
        finally { if (!process.HasExited) process.Kill(entireProcessTree: true); }
        return (process.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task AnInvalidFile_EndsTheProcessWithExitCode2_AndItsMessagesOnStderr()
    {
        var path = Write("bad.yaml", "linters:\n  lint: { timeout: 5 }\nroutng: {}\n");

        var (exit, stdout, stderr) = await RunAppAsync(path);

        Assert.True(exit == 2, $"exit {exit}\nstderr:\n{stderr}\nstdout:\n{stdout}");
        Assert.Contains($"{path}:2:3: linters.lint: missing 'command'", stderr);
        Assert.Contains($"{path}:3:1: routng: unknown top-level key", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.DoesNotContain("   at ", stdout);
    }

    [Fact]
    public async Task ADeeplyNestedFile_EndsTheProcessWithExitCode2_NotAStackOverflow()
    {
        var path = Write("deep.yaml", FlowNesting(30_000));

        var (exit, stdout, stderr) = await RunAppAsync(path);

        Assert.True(exit == 2, $"exit {exit}\nstderr:\n{stderr[..Math.Min(2000, stderr.Length)]}");
        Assert.Matches($@"{Regex(path)}:1:\d+: malformed YAML: nested more than {ConfigOptions.MaxNesting} levels", stderr);
        Assert.DoesNotContain("   at ", stdout);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
