using Microsoft.AspNetCore.Http.HttpResults;

namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary><c>GET /api/reminders</c>: who blocks which open pull request, since when (for the dashboard).</summary>
public static class ReminderEndpoints
{
    public static IEndpointRouteBuilder MapReminderEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/reminders").WithTags("Reminders").MapGet("/", Get);
        return app;
    }

    public static async Task<Ok<RemindersView>> Get(ReminderDashboard dashboard, CancellationToken ct)
    {
        var analysis = await dashboard.GetAsync(ct);
        return TypedResults.Ok(new RemindersView(
            analysis.At,
            [.. analysis.Blockings.Select(BlockingView.Of)],
            [.. analysis.Failures.Select(f => new RepositoryError(f.Host, f.Repository, f.Message))]));
    }
}

public sealed record RemindersView(DateTimeOffset GeneratedAt, IReadOnlyList<BlockingView> PullRequests, IReadOnlyList<RepositoryError> Errors);

/// <param name="Repo">"github:owner/name" or "gitlab:group/project", as configured.</param>
/// <param name="BlockedOn">Code-host logins whose move it is (empty for drafts, undetermined and nothing-blocks).</param>
/// <param name="Since">When the blocking state began, as far as the code host tells.</param>
public sealed record BlockingView(
    string Repo, int Number, string Title, string Url, string Author, bool Draft,
    BlockReason Reason, IReadOnlyList<string> BlockedOn, DateTimeOffset Since, IReadOnlyList<string> Details)
{
    public static BlockingView Of(Blocking b) => new(
        $"{b.PullRequest.Host}:{b.PullRequest.Repository}", b.PullRequest.Number, b.PullRequest.Title, b.PullRequest.Url,
        b.PullRequest.Author, b.PullRequest.Draft, b.Reason, b.BlockedOn, b.Since, b.Details);
}

public sealed record RepositoryError(string Host, string Repository, string Message);
