using Microsoft.Extensions.Options;
using Octokit.Webhooks.Events;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitHub.Webhooks;

/// <summary>
/// GitHub's rules for what a delivery may say about the code to fetch (<see cref="WebhookSource"/> has the shared
/// ones): repository names are <c>owner/name</c>, and clone URLs must be https or ssh on the git host of
/// <c>ReviewBot:GitHub:ApiUrl</c> (github.com for api.github.com; the Enterprise host itself otherwise, on the API's
/// https port).
/// </summary>
public sealed class GitHubSource(IOptions<GitHubOptions> github, WebhookSource sources)
{
    /// <summary>Checks a pull request event's source; true when its clone URL is local (allowed only by the demo
    /// setting), which the task carries to the agent.</summary>
    public bool CheckPullRequest(PullRequestEvent e)
    {
        Repository(e.Repository?.FullName, "repository.full_name");
        WebhookSource.Sha(e.PullRequest?.Head?.Sha, "pull_request.head.sha", required: true);
        WebhookSource.Ref(e.PullRequest?.Head?.Ref, "pull_request.head.ref");
        WebhookSource.Sha(e.PullRequest?.Base?.Sha, "pull_request.base.sha");
        WebhookSource.Ref(e.PullRequest?.Base?.Ref, "pull_request.base.ref");
        return sources.CloneUrl(e.Repository?.CloneUrl, "repository.clone_url", Host());
    }

    /// <summary>Checks a clone URL an event names; true when it is local (allowed only by the demo setting). Throws
    /// <see cref="WebhookPayloadException"/> naming <paramref name="field"/> when the server does not accept it.</summary>
    public bool CloneUrl(string? url, string field) => sources.CloneUrl(url, field, Host());

    /// <summary>The names in an event without a clone URL of its own (job triggers, re-runs): the repository, the
    /// commit (<paramref name="sha"/>, when the event has one) and the branch or tag names.</summary>
    public static void CheckNames(string? repository, string? sha, string shaField, params (string? Name, string Field)[] refs)
    {
        Repository(repository, "repository.full_name");
        WebhookSource.Sha(sha, shaField);
        foreach (var (name, field) in refs) WebhookSource.Ref(name, field);
    }

    /// <summary>A GitHub <c>owner/name</c> (<c>repository.full_name</c>).</summary>
    public static void Repository(string? name, string field)
    {
        if (string.IsNullOrEmpty(name)) throw new WebhookPayloadException(field, "is missing");
        if (name.Count(c => c == '/') != 1) throw new WebhookPayloadException(field, $"'{name}' is not a GitHub repository (owner/name)");
        if (RepositoryKey.Check(name) is { } problem) throw new WebhookPayloadException(field, problem);
    }

    private CloneHost Host()
    {
        var api = github.Value.ApiUrl;
        return new CloneHost(github.Value.GitHost, api.Scheme == Uri.UriSchemeHttps ? api.Port : 443, $"{GitHubOptions.Section}:ApiUrl");
    }
}
