using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Hosting.Diagnostics;

namespace ReviewBot.Functions.Reporting;

/// <summary>
/// Reports published on the code hosts (meter <c>ReviewBot.Reporting</c>): <c>reviewbot.report.time</c>, the time one
/// publish of a task's report took (check run, review comments, summary). Tags: <c>host</c>, <c>repository</c> (capped,
/// <see cref="ReviewBotMeters.Repositories"/>), <c>stage</c> (the report stage published), <c>outcome</c> (published,
/// failed).
/// </summary>
public sealed class ReportMetrics
{
    private readonly ReviewBotMeters _meters;
    private readonly Histogram<double> _reportTime;

    public ReportMetrics(ReviewBotMeters meters)
    {
        _meters = meters;
        var meter = meters.Create("Reporting");
        _reportTime = ReviewBotMeters.Seconds(meter, "reviewbot.report.time", "Time one publish of a task's report on the code host took.");
    }

    internal void Published(ReviewTask task, string stage, bool ok, TimeSpan took) =>
        _reportTime.Record(took.TotalSeconds, new TagList
        {
            { "host", task.Host }, { "repository", _meters.Repositories.Of(task.Repository) }, { "stage", stage }, { "outcome", ok ? "published" : "failed" },
        });
}
