using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;

namespace ReviewBot.Tests.Stats;

/// <summary>
/// A day of task endings with known numbers, for the rollup tests and the overview page's browser test. Hour h (0–23)
/// of <see cref="Day"/> (or of any day given) ends 4 + (h mod 3) tasks: the first h mod 2 + 1 failed, one (in even
/// hours) cancelled before it started, the rest succeeded. Started tasks waited 3 s, 8 s, 40 s, … (by index) and ran
/// 100 s on agent-a or agent-b; each ended task of repository octo/r{index mod 3} has index + 1 findings.
/// </summary>
public static class SimulatedDay
{
    public static readonly DateTimeOffset Day = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);
    public static readonly TimeSpan[] QueueTimes = [TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(250), TimeSpan.FromSeconds(15)];
    public static readonly TimeSpan RunTime = TimeSpan.FromSeconds(100);

    public static IEnumerable<ReviewTask> Endings(DateTimeOffset? day = null)
    {
        var start = day ?? Day;
        for (var h = 0; h < 24; h++)
        {
            var n = 4 + h % 3;
            var failed = h % 2 + 1;
            for (var i = 0; i < n; i++)
            {
                var end = start.AddHours(h).AddMinutes(30 + i);
                var cancelled = h % 2 == 0 && i == n - 1;
                var state = cancelled ? TaskState.Cancelled : i < failed ? TaskState.Failed : TaskState.Succeeded;
                var startedAt = cancelled ? (DateTimeOffset?)null : end - RunTime;
                yield return new ReviewTask
                {
                    Id = $"d{h:D2}-{i}",
                    Repository = $"octo/r{i % 3}",
                    CloneUrl = "https://github.com/octo/r.git",
                    HeadSha = new string('a', 40),
                    Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(5)),
                    State = state,
                    CreatedAt = (startedAt ?? end) - QueueTimes[i],
                    QueuedAt = (startedAt ?? end) - QueueTimes[i],
                    StartedAt = startedAt,
                    CompletedAt = end,
                    NodeId = cancelled ? null : i % 2 == 0 ? "node-a" : "node-b",
                    NodeName = cancelled ? null : i % 2 == 0 ? "agent-a" : "agent-b",
                    FindingCount = cancelled ? 0 : i + 1,
                    Reporting = ReportProgress.Off("test"),
                };
            }
        }
    }
}
