using Microsoft.Extensions.Options;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>
/// GitLab's rules for what a delivery may say about the code to fetch (<see cref="WebhookSource"/> has the shared
/// ones): projects are GitLab paths, and clone URLs must be https or ssh on the host of <c>ReviewBot:GitLab:Url</c>.
/// </summary>
public sealed class GitLabSource(IOptions<GitLabOptions> gitlab, WebhookSource sources)
{
    /// <summary>Checks a merge request hook's source; true when its clone URL is local (demo setting only).</summary>
    public bool CheckMergeRequest(MergeRequestHook hook)
    {
        Project(hook.Repository, "project.path_with_namespace");
        WebhookSource.Sha(hook.HeadSha, "object_attributes.last_commit.id", required: true);
        WebhookSource.Ref(hook.SourceBranch, "object_attributes.source_branch");
        WebhookSource.Ref(hook.TargetBranch, "object_attributes.target_branch");
        return sources.CloneUrl(hook.CloneUrl, "object_attributes.source.git_http_url", CloneHost.Of(gitlab.Value.Url, $"{GitLabOptions.Section}:Url"));
    }

    /// <summary>Checks a clone URL a hook names (a project's <c>git_http_url</c>); true when it is local (demo setting
    /// only). Throws <see cref="WebhookPayloadException"/> naming <paramref name="field"/> when it is not on the <c>Url</c> host.</summary>
    public bool CloneUrl(string? url, string field) => sources.CloneUrl(url, field, CloneHost.Of(gitlab.Value.Url, $"{GitLabOptions.Section}:Url"));

    /// <summary>A GitLab <c>path_with_namespace</c>: group/…/project, each part letters, digits, '_', '-' and '.', not
    /// starting with '-' or '.', not ending in ".git" or ".atom" (GitLab's own path rules).</summary>
    public static void Project(string? path, string field)
    {
        if (string.IsNullOrEmpty(path)) throw new WebhookPayloadException(field, "is missing");
        var parts = path.Split('/');
        if (parts.Length < 2 || parts.Length > RepositoryKey.MaxPathParts || !parts.All(RepositoryKey.IsGitLabPathPart))
            throw new WebhookPayloadException(field, $"'{path}' is not a GitLab project path (group/project, each part letters, digits, '_', '-' and '.', not starting with '-' or '.', not ending in .git or .atom)");
    }
}
