using System.Globalization;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Review;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>
/// Publishes tasks on GitLab merge requests: a commit status <c>reviewbot/{linter}</c> (pending → running → result)
/// when the report posts checks; and, when it posts a review, one discussion per finding on a changed line plus one
/// summary note per linter, edited in place on later pushes. Order at completion: discussions first, so the
/// findings GitLab refused can be named in the summary; the commit status last.
/// <para>Positions need the merge request's <c>diff_refs</c>, read at completion. When the merge request's head has
/// moved past the task's commit (a newer push whose task will report), no discussion is posted: positions on an
/// older diff would not match the lines GitLab shows.</para>
/// </summary>
public sealed class GitLabReporter(IHttpClientFactory http, IOptions<GitLabOptions> options) : ICodeHostReporter
{
    public string Host => CodeHostNames.GitLab;

    public bool Enabled => options.Value.HasApi;

    public async Task<ReportProgress> PublishAsync(ReviewTask task, ReportStage stage, ReportInput input, Func<ReportProgress, Task> checkpoint, CancellationToken ct)
    {
        var client = GitLabRegistration.Client(http);
        var progress = task.Reporting;
        var checks = task.Report.PostsChecks;
        switch (stage)
        {
            case ReportStage.ActionRequired when checks:
                await CommitStatuses.SetAsync(client, task, GitLabStates.Pending, ReportText.WaitingLine(task), input.TaskLink, ct);
                return progress with { Note = "commit status pending: waiting for approval" };
            case ReportStage.Queued when checks:
                await CommitStatuses.SetAsync(client, task, GitLabStates.Pending, "Waiting for an agent", input.TaskLink, ct);
                return progress with { Note = "commit status pending" };
            case ReportStage.InProgress when checks:
                await CommitStatuses.SetAsync(client, task, GitLabStates.Running, ReportText.RunningSummary(task), input.TaskLink, ct);
                return progress with { Note = "commit status running" };
            case ReportStage.Completed:
                return progress with { Note = await CompletedAsync(client, task, input, ct) };
            default:
                return progress;
        }
    }

    private static async Task<string> CompletedAsync(GitLabClient client, ReviewTask task, ReportInput input, CancellationToken ct)
    {
        var findings = input.Result?.Findings ?? [];
        var said = new List<string>();
        GitLabDiffRefs? refs = null;
        if (task is { PullRequest: { } iid, ProjectId: { } project })
            refs = (await client.GetMergeRequestAsync(project, iid, ct)).DiffRefs;
        var changes = findings.Count == 0 ? new ChangedLines([]) : await ChangesAsync(client, task, input.Result, refs, ct);
        var plan = ReportPlanner.Plan(task.Linter.Name, task.State.EndedAs(), findings, changes, task.Report);

        if (task.Report.PostsReview && task is { PullRequest: { } number, ProjectId: { } projectId } && task.State != TaskState.Cancelled)
        {
            var notes = new List<string>();
            // Discussions only when the linter ran: a failed or skipped run says nothing about which findings are gone.
            if (task.State is TaskState.Succeeded or TaskState.Failed)
            {
                if (refs is { BaseSha.Length: > 0, StartSha.Length: > 0, HeadSha.Length: > 0 } && string.Equals(refs.HeadSha, task.HeadSha, StringComparison.OrdinalIgnoreCase))
                {
                    var d = await DiscussionPublisher.PublishAsync(client, task, plan, changes ?? new ChangedLines([]), refs, input.MaxComments, ct);
                    notes.AddRange(Notes(d));
                    said.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{d.Posted} discussion(s) posted, {d.AlreadyPosted} already there, {d.Resolved} resolved, {d.Rejected.Count} refused, {d.Overflow.Count} over the limit"));
                }
                else
                {
                    notes.Add($"No line comments: the merge request has moved on to `{refs?.HeadSha ?? "an unknown commit"}`; its own run will comment.");
                    said.Add("no discussions: the merge request's head moved");
                }
            }
            var created = await SummaryNote.UpsertAsync(client, projectId, number, plan.Linter, SummaryNote.Render(task, plan, input.TaskLink, notes), ct);
            said.Add(created ? "summary note posted" : "summary note updated");
        }

        if (task.Report.PostsChecks)
        {
            var state = CommitStatuses.State(plan.Conclusion);
            await CommitStatuses.SetAsync(client, task, state, ReportText.Title(task, plan), input.TaskLink, ct);
            said.Insert(0, $"commit status {state}");
        }
        return said.Count == 0 ? "nothing to post" : string.Join("; ", said);
    }

    private static IEnumerable<string> Notes(DiscussionPublisher.Outcome d)
    {
        if (d.Rejected.Count > 0)
        {
            yield return $"{d.Rejected.Count} finding{FindingText.Plural(d.Rejected.Count)} could not be placed as line comments:";
            foreach (var (f, why) in d.Rejected)
                yield return $"- `{FindingText.Cell(FindingText.Location(f.Finding))}` {FindingText.Cell(f.Finding.Message)} — GitLab: {FindingText.Cell(why)}";
        }
        if (d.Overflow.Count > 0)
        {
            yield return $"{d.Overflow.Count} more finding{FindingText.Plural(d.Overflow.Count)} not posted as line comments (limit per run):";
            foreach (var f in d.Overflow)
                yield return $"- `{FindingText.Cell(FindingText.Location(f.Finding))}` {FindingText.Cell(f.Finding.Message)}";
        }
    }

    /// <summary>The exact changed lines: the agent's git diff when it was taken from the same base GitLab diffs
    /// against, else the merge request's diffs from the API (every page; a file without a diff, binary or too large,
    /// has no line to comment on). Null outside a merge request.</summary>
    private static async Task<ChangedLines?> ChangesAsync(GitLabClient client, ReviewTask task, TaskResultDocument? result, GitLabDiffRefs? refs, CancellationToken ct)
    {
        if (result?.Diff is { } diff && task.BaseSha is { } baseSha && string.Equals(baseSha, refs?.BaseSha, StringComparison.OrdinalIgnoreCase))
            return ChangedLines.FromGitDiff(diff);
        if (task is not { PullRequest: { } iid, ProjectId: { } project }) return result?.Diff is { } d ? ChangedLines.FromGitDiff(d) : null;
        var files = await client.ListDiffsAsync(project, iid, ct);
        return new ChangedLines(files.Select(f => f.Diff is { Length: > 0 } patch
            ? UnifiedDiff.ParsePatch(f.NewPath, f.RenamedFile ? f.OldPath : null, patch, Status(f))
            : new FileDiff(f.NewPath, f.RenamedFile ? f.OldPath : null, f.DeletedFile ? FileStatus.Deleted : FileStatus.Binary, [])));
    }

    private static FileStatus? Status(GitLabFileDiff f) =>
        f.NewFile ? FileStatus.Added : f.DeletedFile ? FileStatus.Deleted : f.RenamedFile ? FileStatus.Renamed : null;
}
