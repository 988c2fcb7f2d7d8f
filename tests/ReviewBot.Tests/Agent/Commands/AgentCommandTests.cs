using System.CommandLine;
using ReviewBot.Agent.Commands;

namespace ReviewBot.Tests.Agent.Commands;

public class AgentCommandTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static async Task<(int ExitCode, AgentOptions? Options, string Output, string Error)> RunAsync(
        string[] args, IReadOnlyDictionary<string, string>? environment = null, Action<RootCommand>? customize = null)
    {
        AgentOptions? captured = null;
        environment ??= NoEnvironment;
        var root = AgentCommand.Create((options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        }, name => environment.GetValueOrDefault(name));
        customize?.Invoke(root);

        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null })
            .WaitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, captured, output.ToString(), error.ToString());
    }

    [Fact]
    public async Task ParsesEveryFlag()
    {
        var (exitCode, options, _, error) = await RunAsync(
        [
            "--server", "https://reviewbot.example.com/base/", "--token", "t0ken", "--labels", "linux,go", "--labels", "gpu",
            "--capacity", "3", "--work-dir", "/tmp/rb-work", "--name", "builder-1", "--exclusive",
        ]);

        Assert.True(exitCode == 0, error);
        Assert.NotNull(options);
        Assert.Equal(new Uri("https://reviewbot.example.com/base/"), options.Server);
        Assert.Equal(new Uri("https://reviewbot.example.com/base/api/agents/hub"), options.HubUrl);
        Assert.Equal("t0ken", options.Token);
        Assert.Equal(["linux", "go", "gpu"], options.Labels);
        Assert.Equal(3, options.Capacity);
        Assert.Equal("/tmp/rb-work", options.WorkDir);
        Assert.Equal("builder-1", options.Name);
        Assert.True(options.Exclusive);
    }

    [Fact]
    public async Task AppliesDefaults()
    {
        var (exitCode, options, _, error) = await RunAsync(["--server", "http://localhost:7071", "--token", "t"]);

        Assert.True(exitCode == 0, error);
        Assert.NotNull(options);
        Assert.Equal(1, options.Capacity);
        Assert.Empty(options.Labels);
        Assert.Equal(Environment.MachineName, options.Name);
        Assert.Equal(Path.GetFullPath(AgentCommand.DefaultWorkDir), options.WorkDir);
        Assert.False(options.Exclusive);
        Assert.Equal(new Uri("http://localhost:7071/api/agents/hub"), options.HubUrl);
    }

    [Fact]
    public async Task ServerAndTokenFallBackToEnvironmentVariables()
    {
        var environment = new Dictionary<string, string>
        {
            [AgentCommand.ServerVariable] = "https://rb.example.com",
            [AgentCommand.TokenVariable] = "from-env",
        };

        var (exitCode, options, _, error) = await RunAsync([], environment);

        Assert.True(exitCode == 0, error);
        Assert.Equal(new Uri("https://rb.example.com"), options!.Server);
        Assert.Equal("from-env", options.Token);
    }

    [Fact]
    public async Task FlagsWinOverEnvironmentVariables()
    {
        var environment = new Dictionary<string, string> { [AgentCommand.ServerVariable] = "https://env.example.com", [AgentCommand.TokenVariable] = "env" };

        var (_, options, _, _) = await RunAsync(["--server", "https://flag.example.com", "--token", "flag"], environment);

        Assert.Equal(new Uri("https://flag.example.com"), options!.Server);
        Assert.Equal("flag", options.Token);
    }

    [Theory]
    [InlineData(new[] { "--token", "t" }, "--server is required (or set REVIEWBOT_SERVER)")]
    [InlineData(new[] { "--server", "http://x" }, "--token is required (or set REVIEWBOT_TOKEN)")]
    [InlineData(new[] { "--server", "/relative/path", "--token", "t" }, "--server must be an absolute http:// or https:// URL")]
    [InlineData(new[] { "--server", "ftp://host", "--token", "t" }, "--server must be an absolute http:// or https:// URL")]
    [InlineData(new[] { "--server", "http://x", "--token", "t", "--capacity", "0" }, "--capacity must be 1-256, got 0")]
    [InlineData(new[] { "--server", "http://x", "--token", "t", "--capacity", "-2" }, "--capacity must be 1-256, got -2")]
    [InlineData(new[] { "--server", "http://x", "--token", "t", "--capacity", "257" }, "--capacity must be 1-256, got 257")]
    [InlineData(new[] { "--server", "http://x", "--token", "t", "--name", "a\u202eb" }, "--name must be at most 200 characters without control or formatting characters")]
    [InlineData(new[] { "--server", "http://x", "--token", "t", "--labels", "l0,l1,l2,l3,l4,l5,l6,l7,l8,l9,l10,l11,l12,l13,l14,l15,l16,l17,l18,l19,l20,l21,l22,l23,l24,l25,l26,l27,l28,l29,l30,l31,l32,l33,l34,l35,l36,l37,l38,l39,l40,l41,l42,l43,l44,l45,l46,l47,l48,l49,l50,l51,l52,l53,l54,l55,l56,l57,l58,l59,l60,l61,l62,l63,l64" }, "--labels: at most 64 labels, got 65")]
    [InlineData(new[] { "--server", "http://x", "--token", "t", "--labels", "a&b" }, "label 'a&b' contains one of the reserved characters")]
    public async Task RejectsInvalidInputWithAClearError(string[] args, string expected)
    {
        var (exitCode, options, _, error) = await RunAsync(args);

        Assert.NotEqual(0, exitCode);
        Assert.Null(options);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task TheTokenIsOptional_OnceTheWorkDirHoldsTheAgentsCredential()
    {
        using var workDir = new ReviewBot.Tests.Agent.TestSupport.TempDirectory();
        var (before, _, _, error) = await RunAsync(["--server", "http://x", "--work-dir", workDir.Path]);
        new ReviewBot.Agent.Identity.CredentialFile("http://x", "node-1", "node-1:secret").Save(workDir.Path);

        var (after, options, _, _) = await RunAsync(["--server", "http://x", "--work-dir", workDir.Path]);

        Assert.NotEqual(0, before);
        Assert.Contains("--token is required", error);
        Assert.Equal(0, after);
        Assert.Null(options!.Token);
    }

    [Fact]
    public async Task HelpExplainsEveryFlag()
    {
        var (exitCode, _, output, _) = await RunAsync(["--help"]);

        Assert.Equal(0, exitCode);
        foreach (var flag in new[] { "--server", "--token", "--labels", "--capacity", "--work-dir", "--name", "--exclusive" })
        {
            var line = output.Split('\n').SingleOrDefault(l => l.TrimStart().StartsWith(flag + " ", StringComparison.Ordinal));
            Assert.True(line is not null, $"--help does not list {flag}:\n{output}");
            Assert.True(line.Length > 40, $"{flag} has no real explanation: {line}");
        }

        Assert.Contains("REVIEWBOT_SERVER", output);
        Assert.Contains("REVIEWBOT_TOKEN", output);
        Assert.Contains("drain", output);
    }

    [Fact]
    public async Task ToStringNeverShowsTheToken()
    {
        var (_, options, _, _) = await RunAsync(["--server", "http://x", "--token", "super-secret-token"]);

        Assert.DoesNotContain("super-secret-token", options!.ToString());
    }

    [Fact]
    public async Task SubcommandsAreNotHeldToTheAgentsRequiredFlags()
    {
        var ran = false;
        var (exitCode, _, _, error) = await RunAsync(["lint-output"], customize: root =>
        {
            var sub = new Command("lint-output");
            sub.SetAction(_ => ran = true);
            root.Add(sub);
        });

        Assert.True(exitCode == 0, error);
        Assert.True(ran);
    }
}
