using System.CommandLine;
using ReviewBot.Agent.Commands;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Commands;

/// <summary><c>--config agent.yaml</c>: every flag from the file, flags override it, the secret from a file or the
/// environment, errors with file, line and column.</summary>
public sealed class AgentConfigFileTests : IDisposable
{
    private readonly TempDirectory _dir = new("rb-agent-config");

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string text)
    {
        var path = _dir.Combine(name);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<(int ExitCode, AgentOptions? Options, string Error)> RunAsync(string[] args, Dictionary<string, string>? environment = null)
    {
        AgentOptions? captured = null;
        var root = AgentCommand.Create((options, _) =>
        {
            captured = options;
            return Task.FromResult(0);
        }, name => environment?.GetValueOrDefault(name));
        var error = new StringWriter();
        var exitCode = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = error, ProcessTerminationTimeout = null })
            .WaitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, captured, error.ToString());
    }

    [Fact]
    public async Task EveryFlagCanComeFromTheFile_RelativePathsBeingRelativeToIt()
    {
        Write("token.txt", "  s3cret-bootstrap\n");
        Write("pre.sh", "#!/bin/sh\n");
        Write("post.sh", "#!/bin/sh\n");
        var config = Write("agent.yaml", """
            server: https://reviewbot.example.com
            tokenFile: token.txt
            labels: [linux, docker]
            capacity: 3
            workDir: work
            name: build-01
            exclusive: true
            idleExit: 10m
            hookPreTask: pre.sh
            hookPostTask: post.sh
            """);

        var (exitCode, options, error) = await RunAsync(["--config", config]);

        Assert.True(exitCode == 0, error);
        Assert.Equal(new Uri("https://reviewbot.example.com"), options!.Server);
        Assert.Equal("s3cret-bootstrap", options.Token);
        Assert.Equal(["linux", "docker"], options.Labels);
        Assert.Equal(3, options.Capacity);
        Assert.Equal(_dir.Combine("work"), options.WorkDir);
        Assert.Equal("build-01", options.Name);
        Assert.True(options.Exclusive);
        Assert.Equal(TimeSpan.FromMinutes(10), options.IdleExit);
        Assert.Equal(_dir.Combine("pre.sh"), options.HookPreTask);
        Assert.Equal(_dir.Combine("post.sh"), options.HookPostTask);
        Assert.DoesNotContain("s3cret", options.ToString());
    }

    [Fact]
    public async Task FlagsOverrideTheFile_AndTheTokenVariableOverridesItsTokenFile()
    {
        Write("token.txt", "from-file");
        var config = Write("agent.yaml", "server: https://file.example.com\ntokenFile: token.txt\nlabels: linux\ncapacity: 3\nonce: false\n");

        var (exitCode, options, error) = await RunAsync(
            ["--config", config, "--server", "https://flag.example.com", "--labels", "gpu", "--capacity", "1", "--once"],
            new() { [AgentCommand.TokenVariable] = "from-env" });

        Assert.True(exitCode == 0, error);
        Assert.Equal(new Uri("https://flag.example.com"), options!.Server);
        Assert.Equal(["gpu"], options.Labels);
        Assert.Equal(1, options.Capacity);
        Assert.True(options.Once);
        Assert.Equal("from-env", options.Token);
    }

    [Fact]
    public async Task TheConfigPathMayComeFromTheEnvironment_AndTheTokenFromATokenFileFlag()
    {
        var token = Write("t", "flag-file-token\n");
        var config = Write("agent.yaml", "server: http://localhost:7071\n");

        var (exitCode, options, error) = await RunAsync(["--token-file", token], new() { [AgentCommand.ConfigVariable] = config });

        Assert.True(exitCode == 0, error);
        Assert.Equal("flag-file-token", options!.Token);
    }

    [Theory]
    [InlineData("server: http://x\ntoken: abc\n", "agent.yaml:2:1: token: the secret does not belong in the config file")]
    [InlineData("server: http://x\nlables: [linux]\n", "agent.yaml:2:1: unknown setting 'lables'")]
    [InlineData("server: http://x\ncapacity: many\n", "capacity: expected a whole number, got 'many'")]
    [InlineData("server: http://x\nonce: maybe\n", "once: expected true or false, got 'maybe'")]
    [InlineData("server: http://x\nidleExit: soon\n", "--idle-exit must be a positive duration")]
    [InlineData("server: http://x\nlabels: {a: b}\n", "agent.yaml:2:9: labels: expected a single value or a list")]
    [InlineData("server: [http://x\n", "agent.yaml:")]
    [InlineData("- server\n", "agent.yaml:1:1: the file must be a mapping")]
    [InlineData("server: http://x\ntokenFile: missing.txt\n", "--token-file: cannot read")]
    [InlineData("server: http://x\nonce: true\ncapacity: 2\n", "--once runs exactly one task: --capacity must be 1, got 2")]
    [InlineData("server: http://x\nhookPreTask: nope.sh\n", "--hook-pre-task: no such file")]
    public async Task AnInvalidFile_IsRefusedWithWhereAndWhat(string yaml, string expected)
    {
        var config = Write("agent.yaml", yaml);

        var (exitCode, options, error) = await RunAsync(["--config", config]);

        Assert.NotEqual(0, exitCode);
        Assert.Null(options);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task AMissingConfigFile_IsNamed()
    {
        var (exitCode, _, error) = await RunAsync(["--config", _dir.Combine("absent.yaml"), "--server", "http://x", "--token", "t"]);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--config: cannot read", error);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("10m", 600)]
    [InlineData("1.5h", 5400)]
    [InlineData("00:00:30", 30)]
    public void Durations_ReadAsPeopleWriteThem(string text, int seconds)
    {
        Assert.True(DurationText.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }
}
