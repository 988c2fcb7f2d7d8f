using Octokit.Webhooks.Events;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.CodeHosts.GitHub.Trust;

/// <summary>
/// The trust facts of a GitHub <c>pull_request</c> delivery, from the payload alone: the author's
/// <c>pull_request.author_association</c> and whether <c>head.repo</c> is another repository than <c>base.repo</c>
/// (compared by id, which survives renames; a head repository that is gone, a deleted fork, counts as a fork).
/// </summary>
public static class GitHubOrigin
{
    public static PullRequestOrigin Of(PullRequestEvent e)
    {
        var pr = e.PullRequest ?? throw new WebhookPayloadException("pull_request", "is missing");
        var repository = e.Repository?.FullName ?? throw new WebhookPayloadException("repository.full_name", "is missing");
        var association = pr.AuthorAssociation?.StringValue;
        var baseId = pr.Base?.Repo?.Id ?? e.Repository.Id;
        var head = pr.Head?.Repo;
        var fork = head is null ? "(deleted)" : head.Id == baseId ? null : head.FullName ?? $"id {head.Id}";
        return new PullRequestOrigin(CodeHostNames.GitHub, repository, (int)pr.Number, pr.Head?.Sha ?? "",
            pr.User?.Login ?? "(unknown)", Roles.IsTrustedAssociation(association), Roles.DescribeAssociation(association), fork);
    }
}
