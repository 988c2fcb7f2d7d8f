using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Tests.Core.Tasks;

/// <summary>Builders for task transition tests: one linter's task on a pull request, at a fixed time.</summary>
internal static class Tasks
{
    public static readonly DateTimeOffset At = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    public static ReviewTask Queued(string id = "t1") => TaskTransitions.Create(new ReviewTask
    {
        Id = id,
        Repository = "octo/widgets",
        CloneUrl = "https://github.com/octo/widgets.git",
        PullRequest = 7,
        HeadSha = "abc1234def",
        Linter = new LinterSpec("shellcheck", ["shellcheck"], [], new Dictionary<string, string>(), null, "gcc", ["shell"], TimeSpan.FromMinutes(5)),
        Trigger = "github pull_request.opened #7",
        CreatedAt = At,
    }, maxAttempts: 3, At);

    public static ReviewTask Assigned(string node = "n1", string lease = "lease-1") =>
        TaskTransitions.Assign(Queued(), node, $"agent {node}", lease, $"placed on agent {node}", At.AddSeconds(1)).Task!;

    public static ReviewTask Running(string node = "n1", string lease = "lease-1") =>
        TaskTransitions.Accept(Assigned(node, lease), node, lease, At.AddSeconds(2)).Task!;

    public static TaskResult Result(string node = "n1", string lease = "lease-1", TaskOutcome outcome = TaskOutcome.Failed, int findings = 2) =>
        new(node, "t1", lease, outcome, 1,
            [.. Enumerable.Range(1, findings).Select(i => new Contracts.Findings.Finding("a.sh", i, null, null, Contracts.Findings.Severity.Warning, "SC2086", "quote it"))],
            ["noise"], ["a.sh"], null, TimeSpan.FromSeconds(3));
}
