using System.Globalization;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Review.Diffs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Reporting;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>
/// Renders and posts reports on GitLab merge requests: a commit status <c>reviewbot/{linter}</c> (pending → running →
/// result) when the report posts checks; and, when it posts a review, one discussion per finding on a changed line
/// (<see cref="DiscussionPublisher"/>) plus one summary note per linter, edited in place on later pushes
/// (<see cref="SummaryNote"/>); with <c>summary:</c>, the one note across linters (<see cref="MergeRequestSummaryNote"/>).
/// The per-linter summary is written after the discussions, so it can name the findings GitLab
/// refused; the commit status last.
/// <para>Positions need the merge request's <c>diff_refs</c>, read once at completion (<see cref="ChangeAsync"/>).
/// When the merge request's head has moved past the task's commit (a newer push whose task will report), no
/// discussion is posted: positions on an older diff would not match the lines GitLab shows.</para>
/// </summary>
public sealed class GitLabReporter(IHttpClientFactory http, IOptions<GitLabOptions> options) : ICodeHostReporter
{
    public string Host => CodeHostNames.GitLab;

    public string DisplayName => "GitLab";

    public bool Enabled => options.Value.HasApi;

    public async Task<ReportProgress> ActionRequiredAsync(ReviewTask task, string? taskLink, CancellationToken ct)
    {
        await CommitStatuses.SetAsync(Client(), task, GitLabStates.Pending, ReportText.WaitingLine(task), taskLink, ct);
        return task.Reporting with { Note = "commit status pending: waiting for approval" };
    }

    public async Task<ReportProgress> QueuedAsync(ReviewTask task, string? taskLink, CancellationToken ct)
    {
        await CommitStatuses.SetAsync(Client(), task, GitLabStates.Pending, "Waiting for an agent", taskLink, ct);
        return task.Reporting with { Note = "commit status pending" };
    }

    public async Task<ReportProgress> InProgressAsync(ReviewTask task, string? taskLink, CancellationToken ct)
    {
        await CommitStatuses.SetAsync(Client(), task, GitLabStates.Running, ReportText.RunningSummary(task), taskLink, ct);
        return task.Reporting with { Note = "commit status running" };
    }

    public async Task<HostChange?> ChangeAsync(ReviewTask task, CancellationToken ct)
    {
        if (task is not { PullRequest: { } iid, ProjectId: { } project }) return null;
        var client = Client();
        return new MergeRequestDiff(client, project, iid, (await client.GetMergeRequestAsync(project, iid, ct)).DiffRefs);
    }

    public async Task<string?> SummaryCommentAsync(ReviewTask task, Func<string?, string?> update, CancellationToken ct) =>
        task is { PullRequest: { } iid, ProjectId: { } project } ? await MergeRequestSummaryNote.PublishAsync(Client(), project, iid, update, ct) : null;

    public async Task<CommentOutcome> CommentAsync(ReviewTask task, CompletedReport report, CancellationToken ct)
    {
        var refs = (report.Change as MergeRequestDiff)?.Refs;
        if (refs is not { BaseSha.Length: > 0, StartSha.Length: > 0, HeadSha.Length: > 0 } || !string.Equals(refs.HeadSha, task.HeadSha, StringComparison.OrdinalIgnoreCase))
            return CommentOutcome.None($"No line comments: the merge request has moved on to `{refs?.HeadSha ?? "an unknown commit"}`; its own run will comment.")
                with { Said = "no discussions: the merge request's head moved" };
        var d = await DiscussionPublisher.PublishAsync(Client(), task, report.Plan, report.Changes ?? new ChangedLines([]), refs, report.MaxComments, ct);
        return d with
        {
            Said = string.Create(CultureInfo.InvariantCulture,
                $"{d.Posted} discussion(s) posted, {d.AlreadyPosted} already there, {d.Closed} resolved, {d.Refused.Count} refused, {d.Overflow.Count} over the limit"),
        };
    }

    public async Task<ReportProgress> CompletedAsync(ReviewTask task, CompletedReport report, Func<ReportProgress, Task> checkpoint, CancellationToken ct)
    {
        var client = Client();
        var plan = report.Plan;
        var said = new List<string>();
        if (task.Report.PostsReview && task is { PullRequest: { } number, ProjectId: { } projectId } && task.State != TaskState.Cancelled)
        {
            var created = await SummaryNote.UpsertAsync(client, projectId, number, plan.Linter, SummaryNote.Render(task, plan, report.TaskLink, report.Notes), ct);
            said.Add(created ? "summary note posted" : "summary note updated");
        }
        if (task.Report.PostsChecks)
        {
            var state = CommitStatuses.State(plan.Conclusion);
            await CommitStatuses.SetAsync(client, task, state, ReportText.Title(task, plan), report.TaskLink, ct);
            said.Insert(0, $"commit status {state}");
        }
        return task.Reporting with { Note = said.Count == 0 ? null : string.Join("; ", said) };
    }

    /// <summary>A client on the pooled handler; cheap, made per use so a singleton never pins one handler.</summary>
    private GitLabClient Client() => GitLabRegistration.Client(http);

    /// <summary>A merge request as GitLab shows it: its <c>diff_refs</c> (read at once: the positions need them) and, when
    /// asked, its diffs (every page; a file without a diff, binary or too large, has no line to comment on).</summary>
    private sealed class MergeRequestDiff(GitLabClient client, long project, int iid, GitLabDiffRefs? refs) : HostChange
    {
        public GitLabDiffRefs? Refs { get; } = refs;

        public override Task<string?> BaseShaAsync(CancellationToken ct) => Task.FromResult(Refs?.BaseSha);

        public override async Task<ChangedLines> FilesAsync(CancellationToken ct)
        {
            var files = await client.ListDiffsAsync(project, iid, ct);
            return new ChangedLines(files.Select(f => f.Diff is { Length: > 0 } patch
                ? UnifiedDiff.ParsePatch(f.NewPath, f.RenamedFile ? f.OldPath : null, patch, Status(f))
                : new FileDiff(f.NewPath, f.RenamedFile ? f.OldPath : null, f.DeletedFile ? FileStatus.Deleted : FileStatus.Binary, [])));
        }

        private static FileStatus? Status(GitLabFileDiff f) =>
            f.NewFile ? FileStatus.Added : f.DeletedFile ? FileStatus.Deleted : f.RenamedFile ? FileStatus.Renamed : null;
    }
}
