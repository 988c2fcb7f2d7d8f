using Octokit;
using ReviewBot.Contracts.Findings;
using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>
/// One check run per (head SHA, linter), named after the linter, with the task id as <c>external_id</c> (a
/// <c>rerequested</c> event names it). Created <c>queued</c> with the task, <c>in_progress</c> when it starts,
/// <c>completed</c> at the end. Annotations go 50 per request (GitHub's cap; each update appends) and the last
/// batch rides on the completing update, so n findings cost ⌈n/50⌉ updates, at least one.
/// </summary>
public static class CheckRunPublisher
{
    public const int AnnotationsPerRequest = 50;

    public static async Task<ReportProgress> QueuedAsync(IGitHubClient client, RepoName repo, ReviewTask task, ReportProgress progress, string? link)
    {
        if (progress.CheckRunId is not null) return progress;
        var run = await client.Check.Run.Create(repo.Owner, repo.Name, New(task, CheckStatus.Queued, link, ReportText.QueuedSummary(task)));
        return progress with { CheckRunId = run.Id };
    }

    /// <summary>"Waiting for approval": a run created completed with <c>action_required</c> and the reason. A new run
    /// follows once approved (<see cref="QueuedAsync"/>), so this one stays as the record of the wait.</summary>
    public static async Task<ReportProgress> ActionRequiredAsync(IGitHubClient client, RepoName repo, ReviewTask task, ReportProgress progress, string? link)
    {
        if (progress.WaitingCheckRunId is not null) return progress;
        var run = New(task, CheckStatus.Completed, link, ReportText.WaitingSummary(task));
        run.Conclusion = CheckConclusion.ActionRequired;
        run.Output = new NewCheckRunOutput(ReportText.WaitingTitle, ReportText.WaitingSummary(task));
        var created = await client.Check.Run.Create(repo.Owner, repo.Name, run);
        return progress with { WaitingCheckRunId = created.Id };
    }

    public static async Task<ReportProgress> InProgressAsync(IGitHubClient client, RepoName repo, ReviewTask task, ReportProgress progress, string? link)
    {
        if (progress.CheckRunId is not { } id)
        {
            var run = New(task, CheckStatus.InProgress, link, ReportText.RunningSummary(task));
            run.StartedAt = task.StartedAt;
            var created = await client.Check.Run.Create(repo.Owner, repo.Name, run);
            return progress with { CheckRunId = created.Id };
        }
        await client.Check.Run.Update(repo.Owner, repo.Name, id, new CheckRunUpdate
        {
            Status = CheckStatus.InProgress,
            StartedAt = task.StartedAt,
            Output = new NewCheckRunOutput(task.Linter.Name, ReportText.RunningSummary(task)),
        });
        return progress;
    }

    public static async Task<ReportProgress> CompletedAsync(
        IGitHubClient client, RepoName repo, ReviewTask task, ReportPlan plan, string summary, ReportProgress progress, string? link,
        Func<ReportProgress, Task> checkpoint)
    {
        if (progress.CheckRunId is null)
        {
            var created = await client.Check.Run.Create(repo.Owner, repo.Name, New(task, CheckStatus.InProgress, link, summary));
            progress = progress with { CheckRunId = created.Id };
            await checkpoint(progress);
        }
        var id = progress.CheckRunId!.Value;
        var title = ReportText.Title(task, plan);
        var annotations = plan.Findings.Select(f => Annotation(f.Finding)).ToList();
        // Every batch but the last goes alone; the last completes the run.
        while (annotations.Count - progress.AnnotationsSent > AnnotationsPerRequest)
        {
            var batch = annotations.Skip(progress.AnnotationsSent).Take(AnnotationsPerRequest).ToList();
            await client.Check.Run.Update(repo.Owner, repo.Name, id, new CheckRunUpdate
            {
                Output = new NewCheckRunOutput(title, summary) { Annotations = batch },
            });
            progress = progress with { AnnotationsSent = progress.AnnotationsSent + batch.Count };
            await checkpoint(progress);
        }
        var last = annotations.Skip(progress.AnnotationsSent).ToList();
        await client.Check.Run.Update(repo.Owner, repo.Name, id, new CheckRunUpdate
        {
            Status = CheckStatus.Completed,
            Conclusion = Map(plan.Conclusion),
            CompletedAt = task.CompletedAt,
            Output = new NewCheckRunOutput(title, summary) { Text = ReportText.Details(plan), Annotations = last },
            Actions = ApplyFixesAction.For(task, plan) is { } apply ? [apply] : null,
        });
        return progress with { AnnotationsSent = progress.AnnotationsSent + last.Count };
    }

    private static NewCheckRun New(ReviewTask task, CheckStatus status, string? link, string summary) => new(task.Linter.Name, task.HeadSha)
    {
        Status = status,
        ExternalId = task.Id,
        DetailsUrl = link,
        Output = new NewCheckRunOutput(task.Linter.Name, summary),
    };

    /// <summary>GitHub wants a range on the new side; columns only when the range is one line.</summary>
    internal static NewCheckRunAnnotation Annotation(Finding f)
    {
        var start = Math.Max(f.Line, 1);
        var end = f.EndLine is { } e && e > start ? e : start;
        var annotation = new NewCheckRunAnnotation(f.File, start, end, Level(f.Severity), Limit(f.Message, 64 * 1024))
        {
            Title = f.Rule is { Length: > 0 } rule ? Limit(rule, 255) : null,
        };
        if (start == end && f.Column is > 0 and var column)
        {
            annotation.StartColumn = column;
            annotation.EndColumn = column;
        }
        return annotation;
    }

    private static CheckAnnotationLevel Level(Severity s) => s switch
    {
        Severity.Error => CheckAnnotationLevel.Failure,
        Severity.Warning => CheckAnnotationLevel.Warning,
        _ => CheckAnnotationLevel.Notice,
    };

    internal static CheckConclusion Map(Conclusion c) => c switch
    {
        Conclusion.Success => CheckConclusion.Success,
        Conclusion.Neutral => CheckConclusion.Neutral,
        Conclusion.Cancelled => CheckConclusion.Cancelled,
        Conclusion.TimedOut => CheckConclusion.TimedOut,
        Conclusion.Skipped => CheckConclusion.Skipped,
        _ => CheckConclusion.Failure,
    };

    private static string Limit(string s, int max) => s.Length <= max ? s : s[..(max - 1)] + "…";
}
