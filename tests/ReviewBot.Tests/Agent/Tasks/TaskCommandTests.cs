using ReviewBot.Agent.Tasks;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Tests.Agent.Tasks;

public class TaskCommandTests
{
    [Fact]
    public void FilesPlaceholderBecomesOneDotSlashPathPerFile_SoNoneIsAnOption() =>
        Assert.Equal(["-f", "gcc", "./a.sh", "./dir with space/b.sh", "./--help.sh", "--end"],
            TaskCommand.ExpandArguments(["-f", "gcc", "{files}", "--end"], ["a.sh", "dir with space/b.sh", "--help.sh"], "/art"));

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void FilesInsideALongerArgumentAreShellQuotedWords() =>
        Assert.Equal(["shellcheck './a.sh' './it'\\''s $(x).sh'"], TaskCommand.ExpandArguments(["shellcheck {files}"], ["a.sh", "it's $(x).sh"], "/art"));

    [Fact]
    public void ArtifactVariablesInAFileNameStayLiteral() =>
        Assert.Equal(["./$ARTIFACT.sh", "--out=/art"], TaskCommand.ExpandArguments(["{files}", "--out=$ARTIFACT"], ["$ARTIFACT.sh"], "/art"));

    [Fact]
    public void ArtifactVariablesAreExpanded() =>
        Assert.Equal(["/art/out.log", "--out=/art", "$ARTIFACTS", "$OTHER"],
            TaskCommand.ExpandArguments(["$ARTIFACT/out.log", "--out=${ARTIFACT}", "$ARTIFACTS", "$OTHER"], [], "/art"));

    [Fact]
    public void EnvironmentHasOnlyThePassThroughVariablesPlusTaskAndLinterVariables()
    {
        var agent = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["HOME"] = "/home/agent", ["REVIEWBOT_TOKEN"] = "secret", ["AWS_SECRET_ACCESS_KEY"] = "x" };
        var assignment = new TaskAssignment(
            "task-1", "lease", 1,
            new SourceSpec("acme/widgets", "file:///r", "head", null, "base", null, 5, "tok"),
            new LinterSpec("sc", ["shellcheck"], [], new Dictionary<string, string> { ["OUT"] = "$ARTIFACT/x", ["HOME"] = "/override" }, null, "gcc", [".sh"], TimeSpan.Zero),
            TimeSpan.FromSeconds(5));

        var environment = TaskCommand.Environment(assignment, "/art", "/t/files.txt", "/t/src", name => agent.GetValueOrDefault(name));

        Assert.Equal("/usr/bin", environment["PATH"]);
        Assert.Equal("/override", environment["HOME"]);
        Assert.Equal("/art", environment["ARTIFACT"]);
        Assert.Equal("/art/x", environment["OUT"]);
        Assert.Equal("task-1", environment["REVIEWBOT_TASK_ID"]);
        Assert.Equal("acme/widgets", environment["REVIEWBOT_REPOSITORY"]);
        Assert.Equal("head", environment["REVIEWBOT_HEAD_SHA"]);
        Assert.Equal("base", environment["REVIEWBOT_BASE_SHA"]);
        Assert.Equal("5", environment["REVIEWBOT_PULL_REQUEST"]);
        Assert.Equal("/t/files.txt", environment["REVIEWBOT_CHANGED_FILES"]);
        Assert.False(environment.ContainsKey("REVIEWBOT_TOKEN"));
        Assert.False(environment.ContainsKey("AWS_SECRET_ACCESS_KEY"));
        Assert.DoesNotContain(environment.Values, v => v.Contains("tok", StringComparison.Ordinal) && v != "/t/files.txt");
    }

    [Fact]
    public void AJobsEnvironmentIsTheAgentsPlusVariablesAndSecrets_AndTheWellKnownOnesWin()
    {
        var agent = new Dictionary<string, string> { ["PATH"] = "/usr/bin", ["TOOL_HOME"] = "/opt/tool", ["REVIEWBOT_TOKEN"] = "agent-token", ["REVIEWBOT_SERVER"] = "https://rb" };
        var job = new JobSpec(
            "nightly", [],
            new Dictionary<string, string> { ["GREETING"] = "hi", ["TOOL_HOME"] = "/job/tool", ["REVIEWBOT_SHA"] = "forged", ["CI"] = "false" },
            new Dictionary<string, string> { ["API_KEY"] = "k3y" },
            TimeSpan.FromMinutes(1));
        var assignment = new TaskAssignment(
            "task-1", "lease", 1,
            new SourceSpec("acme/widgets", "file:///r", "", "main", null, null, null, null),
            new LinterSpec("nightly", [], [], new Dictionary<string, string>(), null, "none", [], TimeSpan.Zero),
            TimeSpan.FromSeconds(5)) { Job = job };

        var environment = TaskCommand.JobEnvironment(assignment, job, "abc123", "/t/src", agent);

        Assert.Equal("/usr/bin", environment["PATH"]);
        Assert.Equal("/job/tool", environment["TOOL_HOME"]);
        Assert.Equal("hi", environment["GREETING"]);
        Assert.Equal("k3y", environment["API_KEY"]);
        Assert.Equal("true", environment["CI"]);
        Assert.Equal("task-1", environment["REVIEWBOT_TASK_ID"]);
        Assert.Equal("nightly", environment["REVIEWBOT_JOB"]);
        Assert.Equal("main", environment["REVIEWBOT_REF"]);
        Assert.Equal("abc123", environment["REVIEWBOT_SHA"]);
        Assert.Equal("/t/src", environment["REVIEWBOT_WORKSPACE"]);
        Assert.False(environment.ContainsKey("REVIEWBOT_TOKEN"));
        Assert.False(environment.ContainsKey("REVIEWBOT_SERVER"));
    }
}
