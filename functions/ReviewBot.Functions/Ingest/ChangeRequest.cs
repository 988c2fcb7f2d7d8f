using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Trust;

namespace ReviewBot.Functions.Ingest;

/// <summary>
/// One push to a change request (a GitHub pull request, a GitLab merge request), as its code host's webhook code
/// reads it from the payload (and, where the payload is not enough, from the host's API). Everything here has been
/// checked by the host (clone URL on the host, refs and commits well formed, sizes capped) before it is built.
/// </summary>
public sealed record ChangeRequest
{
    /// <summary><see cref="CodeHostNames.GitHub"/>, <see cref="CodeHostNames.GitLab"/>, …</summary>
    public required string Host { get; init; }

    /// <summary>The repository as the configuration names it (GitHub <c>owner/name</c>, GitLab <c>path_with_namespace</c>).</summary>
    public required string Repository { get; init; }

    /// <summary>The pull request's number, the merge request's iid.</summary>
    public required int Number { get; init; }

    /// <summary>How the host writes the change request in prose: <c>owner/name#7</c>, <c>group/project!5</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The host's numeric id of the project whose API paths hold the change request (GitLab); null elsewhere.</summary>
    public long? ProjectId { get; init; }

    /// <summary>The app installation the delivery came through (GitHub App); null elsewhere.</summary>
    public long? InstallationId { get; init; }

    public required string HeadSha { get; init; }
    public string? HeadRef { get; init; }

    /// <summary>The commit the host diffs the change request against, when it says; the agent diffs from it too.</summary>
    public string? BaseSha { get; init; }

    public string? BaseRef { get; init; }

    public required string CloneUrl { get; init; }

    /// <summary>The clone URL is a local path (allowed only by <see cref="WebhookSourceOptions.AllowLocalCloneUrls"/>).</summary>
    public bool AllowLocal { get; init; }

    /// <summary>When the host last changed the change request: an older delivery never cancels a newer push's tasks.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>What started it, for the task's history ("github pull_request.opened #7").</summary>
    public required string Trigger { get; init; }

    public required string DeliveryId { get; init; }

    /// <summary>Who wrote the push and where its commits live: what the trust gate decides on.</summary>
    public required PullRequestOrigin Origin { get; init; }

    /// <summary>The deterministic id of this push's task for a linter (<see cref="TaskIds.ForPullRequest"/>,
    /// <see cref="TaskIds.ForMergeRequest"/>): each host keeps its own scheme, so ids never change.</summary>
    public required Func<string, string> TaskIdFor { get; init; }
}
