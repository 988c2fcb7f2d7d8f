using System.Text.Json;
using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.CodeHosts.GitHub.Trust;

/// <summary>
/// Approvals from GitHub. <c>issue_comment.created</c> on an open pull request whose body holds the repository's
/// command (<see cref="OkToTestCommand"/>) approves when the commenter's <c>comment.author_association</c> is trusted
/// (<see cref="Roles"/>); <c>pull_request.labeled</c> with the policy's label approves when the sender has write access,
/// read from <c>GET /repos/{o}/{r}/collaborators/{user}/permission</c> (triage may label too, and is not enough).
/// Anything else is ignored with the reason (the webhook answers 200).
/// </summary>
public sealed class OkToTestIngest(ReviewConfig config, Approver approver, IGitHubClientFactory clients, IOptions<GitHubOptions> github, ILogger<OkToTestIngest> log)
{
    public async Task<ApprovalOutcome> CommentAsync(byte[] body, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(body);
        var root = Object(doc.RootElement, "body");
        var action = Text(root, "action", "action");
        var issue = Object(Get(root, "issue"), "issue");
        var number = Number(issue, "number", "issue.number");
        var repository = Text(Object(Get(root, "repository"), "repository"), "full_name", "repository.full_name");
        var comment = Object(Get(root, "comment"), "comment");
        var login = Text(Object(Get(comment, "user"), "comment.user"), "login", "comment.user.login");
        var association = Get(comment, "author_association") is { ValueKind: JsonValueKind.String } a ? a.GetString() : null;
        var text = Get(comment, "body") is { ValueKind: JsonValueKind.String } b ? b.GetString() : null;

        if (action != "created") return ApprovalOutcome.Ignored($"issue_comment.{action}: only new comments can approve");
        if (Get(issue, "pull_request").ValueKind != JsonValueKind.Object) return ApprovalOutcome.Ignored($"#{number} is an issue, not a pull request");
        if (Get(issue, "state") is { ValueKind: JsonValueKind.String } s && s.GetString() != "open")
            return ApprovalOutcome.Ignored($"pull request #{number} is {s.GetString()}");
        var policy = config.TrustFor(repository);
        if (!OkToTestCommand.Matches(text, policy.OkToTest))
            return ApprovalOutcome.Ignored($"the comment is not {policy.OkToTest} (alone on a line)");
        if (!Roles.IsTrustedAssociation(association))
            return Refused(repository, number, login, $"{login} is {Roles.DescribeAssociation(association)} (author_association {association ?? "missing"}); only owners, members and collaborators can approve");
        return await approver.ApproveAsync(CodeHostNames.GitHub, repository, number, $"{repository}#{number}", login, policy.OkToTest, ct);
    }

    public async Task<ApprovalOutcome> LabeledAsync(byte[] body, CancellationToken ct)
    {
        var e = GitHubPayload.Read<Octokit.Webhooks.Events.PullRequest.PullRequestLabeledEvent>(body); // dates, sizes, number in range
        var repository = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var number = (int)(e.PullRequest?.Number ?? throw new WebhookPayloadException("pull_request.number", "is missing"));
        var name = e.Label?.Name ?? throw new WebhookPayloadException("label.name", "is missing");
        var sender = e.Sender?.Login ?? throw new WebhookPayloadException("sender.login", "is missing");
        var policy = config.TrustFor(repository);
        if (policy.Label is not { } approving)
            return ApprovalOutcome.Ignored($"label '{name}' needs nothing: no approval label is configured (trust.label)");
        if (!string.Equals(name, approving, StringComparison.OrdinalIgnoreCase))
            return ApprovalOutcome.Ignored($"label '{name}' needs nothing: the approval label is '{approving}'");
        if (e.PullRequest.State?.StringValue is { } state && state != "open")
            return ApprovalOutcome.Ignored($"pull request #{number} is {state}");
        if (await PermissionAsync(repository, sender, e.Installation?.Id, ct) is var (permission, error) && error is not null)
            return Refused(repository, number, sender, error);
        if (!Roles.IsWriter(permission))
            return Refused(repository, number, sender, $"{sender}'s permission on {repository} is '{permission}'; adding the label approves only with write or admin");
        return await approver.ApproveAsync(CodeHostNames.GitHub, repository, number, $"{repository}#{number}", sender, $"label {approving}", ct);
    }

    /// <summary>The sender's permission (admin, write, read, none), or why it is unknown.</summary>
    private async Task<(string? Permission, string? Error)> PermissionAsync(string repository, string user, long? installation, CancellationToken ct)
    {
        if (!github.Value.HasCredentials)
            return (null, $"{user}'s permission cannot be checked without GitHub credentials (ReviewBot:GitHub:Token or an App); comment /ok-to-test instead");
        var slash = repository.IndexOf('/');
        try
        {
            var client = await clients.ForInstallationAsync(installation, ct);
            var answer = await client.Repository.Collaborator.ReviewPermission(repository[..slash], repository[(slash + 1)..], user);
            return (answer.Permission, null);
        }
        catch (NotFoundException)
        {
            return ("none", null);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or ArgumentException or TimeoutException)
        {
            TrustLog.PermissionUnknown(log, repository, user, ex.Message);
            return (null, $"{user}'s permission could not be read ({ex.Message}); add the label again or comment /ok-to-test");
        }
    }

    private ApprovalOutcome Refused(string repository, int number, string by, string why)
    {
        TrustLog.ApprovalIgnored(log, CodeHostNames.GitHub, repository, number, by, why);
        return ApprovalOutcome.Ignored(why);
    }

    private static JsonElement Get(JsonElement parent, string name) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var v) ? v : default;

    private static JsonElement Object(JsonElement e, string path) =>
        e.ValueKind == JsonValueKind.Object ? e
        : throw new WebhookPayloadException(path, e.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "is missing" : "must be an object");

    private static string Text(JsonElement parent, string name, string path) =>
        Get(parent, name) is { ValueKind: JsonValueKind.String } v && v.GetString() is { Length: > 0 } s ? s
        : throw new WebhookPayloadException(path, "is missing or not a non-empty string");

    private static int Number(JsonElement parent, string name, string path) =>
        Get(parent, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) && n > 0 ? n
        : throw new WebhookPayloadException(path, "must be a positive integer (at most 2147483647)");
}
