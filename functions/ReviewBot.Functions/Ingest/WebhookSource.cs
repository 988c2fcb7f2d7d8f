using Microsoft.Extensions.Options;
using Octokit.Webhooks.Events;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.CodeHosts.GitHub.Webhooks;
using ReviewBot.Functions.CodeHosts.GitLab;
using ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

namespace ReviewBot.Functions.Ingest;

/// <summary>Settings under <c>ReviewBot:Webhooks</c>.</summary>
public sealed class WebhookSourceOptions
{
    public const string Section = "ReviewBot:Webhooks";

    /// <summary>Test and demo only: webhooks may name a local path or file:// URL as their clone URL (scripts/demo.sh
    /// and the tests use local bare repositories). Off in production: any signed delivery could then make an agent read
    /// a repository on its own disk. Logged as a warning at start when on.</summary>
    public bool AllowLocalCloneUrls { get; set; }
}

/// <summary>
/// What a webhook may say about the code to fetch. Everything in a payload is hostile, signature or not (the secret
/// is shared by every admin who wires a repository): before a task is stored, its clone URL must be https or ssh on the
/// configured code host (GitHub: the host of <c>ReviewBot:GitHub:ApiUrl</c>, github.com for api.github.com; GitLab:
/// the host of <c>ReviewBot:GitLab:Url</c>), its refs and commits must obey <see cref="SourceRules"/>, and its repository
/// name must be one the host could have given. A breach is a <see cref="WebhookPayloadException"/> naming the field
/// (answered 400, nothing stored). Each ingest calls one method here.
/// </summary>
public sealed class WebhookSource(IOptions<GitHubWebhookOptions> github, IOptions<GitLabOptions> gitlab, IOptions<WebhookSourceOptions> options)
{
    /// <summary>Checks a pull request event's source; true when its clone URL is local (allowed only by the demo
    /// setting), which the task carries to the agent as <see cref="SourceSpec.AllowLocal"/>.</summary>
    public bool CheckPullRequest(PullRequestEvent e)
    {
        GitHubRepository(e.Repository?.FullName, "repository.full_name");
        Sha(e.PullRequest?.Head?.Sha, "pull_request.head.sha", required: true);
        Ref(e.PullRequest?.Head?.Ref, "pull_request.head.ref");
        Sha(e.PullRequest?.Base?.Sha, "pull_request.base.sha");
        Ref(e.PullRequest?.Base?.Ref, "pull_request.base.ref");
        return CloneUrl(e.Repository?.CloneUrl, "repository.clone_url", GitHubHost());
    }

    /// <summary>Checks a merge request hook's source; true when its clone URL is local (demo setting only).</summary>
    public bool CheckMergeRequest(MergeRequestHook hook)
    {
        GitLabProject(hook.Repository, "project.path_with_namespace");
        Sha(hook.HeadSha, "object_attributes.last_commit.id", required: true);
        Ref(hook.SourceBranch, "object_attributes.source_branch");
        Ref(hook.TargetBranch, "object_attributes.target_branch");
        return CloneUrl(hook.CloneUrl, "object_attributes.source.git_http_url", GitLabHost());
    }

    /// <summary>The names in a GitHub event without a clone URL of its own (job triggers, re-runs): the repository, the
    /// commit (<paramref name="sha"/>, when the event has one) and the branch or tag names.</summary>
    public static void CheckNames(string? repository, string? sha, string shaField, params (string? Name, string Field)[] refs)
    {
        GitHubRepository(repository, "repository.full_name");
        Sha(sha, shaField);
        foreach (var (name, field) in refs) Ref(name, field);
    }

    /// <summary>A GitHub <c>owner/name</c> (<c>repository.full_name</c>).</summary>
    public static void GitHubRepository(string? name, string field)
    {
        if (string.IsNullOrEmpty(name)) throw new WebhookPayloadException(field, "is missing");
        if (name.Count(c => c == '/') != 1) throw new WebhookPayloadException(field, $"'{name}' is not a GitHub repository (owner/name)");
        if (RepositoryKey.Check(name) is { } problem) throw new WebhookPayloadException(field, problem);
    }

    /// <summary>A GitLab <c>path_with_namespace</c>: group/…/project, each part letters, digits, '_', '-' and '.', not
    /// starting with '-' or '.', not ending in ".git" or ".atom" (GitLab's own path rules).</summary>
    public static void GitLabProject(string? path, string field)
    {
        if (string.IsNullOrEmpty(path)) throw new WebhookPayloadException(field, "is missing");
        var parts = path.Split('/');
        if (parts.Length < 2 || parts.Length > 21 || !parts.All(IsGitLabPathPart))
            throw new WebhookPayloadException(field, $"'{path}' is not a GitLab project path (group/project, each part letters, digits, '_', '-' and '.', not starting with '-' or '.', not ending in .git or .atom)");
    }

    /// <summary>A branch or tag name (<see cref="SourceRules.IsRefName"/>); a missing optional one passes.</summary>
    public static void Ref(string? name, string field, bool required = false)
    {
        if (string.IsNullOrEmpty(name))
        {
            if (required) throw new WebhookPayloadException(field, "is missing");
            return;
        }

        if (!SourceRules.IsRefName(name))
            throw new WebhookPayloadException(field, $"'{name}' is not a valid branch or tag name (git check-ref-format; no leading '-' or '+')");
    }

    /// <summary>A commit id (<see cref="SourceRules.IsSha"/>); a missing optional one passes.</summary>
    public static void Sha(string? sha, string field, bool required = false)
    {
        if (string.IsNullOrEmpty(sha))
        {
            if (required) throw new WebhookPayloadException(field, "is missing");
            return;
        }

        if (!SourceRules.IsSha(sha)) throw new WebhookPayloadException(field, $"'{sha}' is not a commit id (40 or 64 hex digits)");
    }

    /// <summary>https or ssh on <paramref name="host"/>; a local path or file:// URL only under the demo setting
    /// (then true).</summary>
    private bool CloneUrl(string? url, string field, CodeHost host)
    {
        if (string.IsNullOrEmpty(url)) throw new WebhookPayloadException(field, "is missing");
        if (SourceRules.ParseCloneUrl(url, out var why) is not { } shape) throw new WebhookPayloadException(field, $"'{url}' {why}");
        if (shape.Kind == CloneUrlKind.Local)
        {
            if (options.Value.AllowLocalCloneUrls) return true;
            throw new WebhookPayloadException(field, $"'{url}' is a local path; a webhook's clone URL must be https or ssh on {host.Describe()} (local paths only with {WebhookSourceOptions.Section}:AllowLocalCloneUrls, for tests and demos)");
        }

        if (host.Name is null)
            throw new WebhookPayloadException(field, $"cannot be checked: {host.Setting} is not set, so no host is trusted for clone URLs; set it to your instance");
        var onHost = string.Equals(shape.Host, host.Name, StringComparison.OrdinalIgnoreCase)
                     && (shape.Kind == CloneUrlKind.Ssh || shape.Kind == CloneUrlKind.Https && shape.Port == host.HttpsPort);
        if (!onHost)
            throw new WebhookPayloadException(field, $"'{url}' is not an https or ssh URL on {host.Describe()}");
        return false;
    }

    private CodeHost GitHubHost()
    {
        var api = github.Value.ApiUrl;
        return new CodeHost(github.Value.GitHost, api.Scheme == Uri.UriSchemeHttps ? api.Port : 443, $"{GitHubWebhookOptions.Section}:ApiUrl");
    }

    private CodeHost GitLabHost() =>
        gitlab.Value.Url is { } url
            ? new CodeHost(url.Host.ToLowerInvariant(), url.Scheme == Uri.UriSchemeHttps ? url.Port : 443, $"{GitLabOptions.Section}:Url")
            : new CodeHost(null, 443, $"{GitLabOptions.Section}:Url");

    private static bool IsGitLabPathPart(string part) =>
        part.Length is > 0 and <= 255 && part[0] is not ('-' or '.')
        && part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
        && !part.EndsWith(".git", StringComparison.OrdinalIgnoreCase) && !part.EndsWith(".atom", StringComparison.OrdinalIgnoreCase)
        && !part.Contains("..", StringComparison.Ordinal);

    /// <summary>The code host clone URLs must be on: its host name, the port its https URLs use, the setting naming it.</summary>
    private sealed record CodeHost(string? Name, int HttpsPort, string Setting)
    {
        public string Describe() => Name is null ? $"the code host ({Setting} is not set)" : $"{Name}{(HttpsPort == 443 ? "" : $":{HttpsPort} (https)")}, the code host of {Setting}";
    }
}

/// <summary>Says at start that the demo setting is on, so it is not left on in production unnoticed.</summary>
internal sealed partial class WebhookSourceStartupWarning(IOptions<WebhookSourceOptions> options, ILogger<WebhookSource> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.AllowLocalCloneUrls) LogLocalAllowed(log, $"{WebhookSourceOptions.Section}:AllowLocalCloneUrls");
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 610, Level = LogLevel.Warning, Message = "{Setting} is on: webhooks may name local paths and file:// URLs as clone URLs, and agents will read those repositories from their own disks. For tests and demos only; never in production.")]
    private static partial void LogLocalAllowed(ILogger logger, string setting);
}
