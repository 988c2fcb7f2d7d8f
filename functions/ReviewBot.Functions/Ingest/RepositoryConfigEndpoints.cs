using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Tasks;
using ReviewBot.Functions.Trust;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Ingest;

/// <summary>One error of the repository's file: where, what, and the "file:line:column: message" form.</summary>
public sealed record ConfigErrorView(string File, int Line, int Column, string Message, string Text)
{
    public static ConfigErrorView Of(ConfigError e) => new(e.File, e.Line, e.Column, e.Message, e.ToString());
}

/// <summary>The repository's file at the ref: its path, what became of it (applied, refused, absent, unreadable,
/// notRead) and its errors.</summary>
public sealed record RepositoryFileView(string Path, string State, IReadOnlyList<ConfigErrorView> Errors);

/// <summary>The answer of <c>GET /api/repos/{repository path}/config</c>.</summary>
/// <param name="Host">The code host of the repository's latest task; null when no task of it is known.</param>
/// <param name="Ref">The commit or ref the repository's file was read at; null when none was known.</param>
/// <param name="RefSource">How <see cref="Ref"/> was chosen: "query" or "latest known base (task …)", or why none.</param>
public sealed record RepositoryConfigView(
    string Repository, string? Host, string? Ref, string RefSource, RepositoryFileView RepositoryFile,
    EffectivePolicy Policy, IReadOnlyList<EffectiveLinter> Linters);

/// <summary>
/// <c>GET /api/repos/{owner}/{repo}/config?ref=</c>, and for a GitLab project in subgroups
/// <c>GET /api/repos/{group}/{subgroup}/…/{project}/config?ref=</c>: the configuration in effect for a repository, each value with
/// where it came from (<see cref="EffectiveConfigResolver"/>). The repository's file is read at <c>ref</c> (a commit id,
/// branch or tag), by default at the base commit of the repository's newest pull-request task (the commit its latest
/// change request was checked against), through the reader that serves that task's host (<see cref="RepositoryConfigs"/>).
/// A repository neither seen in a task nor listed under the server file's <c>repos:</c> is unknown (404).
/// </summary>
public static class RepositoryConfigEndpoints
{
    /// <summary>Tasks of the repository read to find its newest pull-request task (the newest of all when none is one).</summary>
    private const int TasksRead = 20;

    public static IEndpointRouteBuilder MapRepositoryConfig(this IEndpointRouteBuilder app)
    {
        // A catch-all, not "{owner}/{repo}" nor one encoded segment: a GitLab project path has 2 to 21 parts, and a
        // catch-all is the only template that matches any number of segments (ASP.NET Core allows it last only, hence
        // the "/config" suffix is matched here). An encoded "group%2Fproject" is not robust: Kestrel leaves "%2F"
        // undecoded in route values, and proxies in front of the app decode it, refuse it, or pass it on. Kestrel
        // removes dot segments before routing; whatever reaches here is checked part by part (RepositoryKey.CheckPath).
        app.MapGet("/api/repos/{**path}", Get).WithTags("Configuration");
        return app;
    }

    public static async Task<Results<Ok<RepositoryConfigView>, ProblemHttpResult>> Get(
        string? path, string? @ref, ReviewConfig config, RepositoryConfigs configs, TaskStore store, CancellationToken ct)
    {
        const string suffix = "/config";
        path ??= "";
        if (!path.EndsWith(suffix, StringComparison.Ordinal) && path != "config")
            return Problem(404, "No such resource", $"'/api/repos/{Shorten(path)}' names nothing: the configuration of a repository is /api/repos/{{owner}}/{{repo}}/config (GitLab: /api/repos/{{group}}/…/{{project}}/config).");
        var repository = path.Length > suffix.Length ? path[..^suffix.Length] : "";
        if (RepositoryKey.CheckPath(repository) is { } bad)
            return Problem(400, "Invalid repository", bad.Message, bad.Part switch
            {
                0 => "owner",
                var i when i > 0 && i < bad.Parts - 1 => "group",
                _ => "repo",
            });
        if (@ref is not null && !SourceRules.IsSha(@ref) && !SourceRules.IsRefName(@ref))
            return Problem(400, "Invalid ref", $"'{@ref}' is neither a commit id (40 or 64 hex digits) nor a branch or tag name", "ref");

        var page = await store.PageAsync(new TaskListQuery(Repository: repository), null, TasksRead, ct);
        var latest = page.Tasks.FirstOrDefault(t => t.PullRequest is not null) ?? page.Tasks.FirstOrDefault();
        if (latest is null && !IsListed(config, repository))
            return Problem(404, "Unknown repository", $"No task of {repository} is known and the server's configuration does not list it or its org under 'repos:'.");

        string? at = @ref;
        var refSource = "query";
        if (at is null)
        {
            at = latest?.BaseSha;
            refSource = at is not null ? $"latest known base (task {latest!.Id})"
                : "none: no pull-request task of the repository with a base commit is known; give ?ref= to read its file";
        }

        var read = latest is null || at is null
            ? new RepositoryConfigRead(RepositoryConfig.ServerOnly(config, repository), RepositoryFileState.NotRead)
            : await configs.AtAsync(SourceOf(latest, repository), at, ct);
        var effective = EffectiveConfigResolver.Resolve(config, repository, read.Config);
        var state = read.File.ToString();
        return TypedResults.Ok(new RepositoryConfigView(
            repository, latest?.Host, at, refSource,
            new RepositoryFileView(RepositoryConfig.FileName, char.ToLowerInvariant(state[0]) + state[1..], [.. effective.Errors.Select(ConfigErrorView.Of)]),
            effective.Policy, effective.Linters));
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..100] + "…";

    private static bool IsListed(ReviewConfig config, string repository) =>
        config.Scopes.Any(s => s.Equals(repository, StringComparison.OrdinalIgnoreCase) || s.Equals(repository[..repository.IndexOf('/')], StringComparison.OrdinalIgnoreCase));

    /// <summary>Where the task's repository is read from: its host, clone URL, installation or project.</summary>
    private static ChangeRequest SourceOf(ReviewTask task, string repository) => new()
    {
        Host = task.Host,
        Repository = task.Repository,
        Number = task.PullRequest ?? 0,
        Name = repository,
        ProjectId = task.ProjectId,
        InstallationId = task.InstallationId,
        HeadSha = task.HeadSha,
        BaseSha = task.BaseSha,
        CloneUrl = task.CloneUrl,
        AllowLocal = task.AllowLocal,
        Trigger = "configuration view",
        DeliveryId = "",
        Origin = new PullRequestOrigin(task.Host, task.Repository, task.PullRequest ?? 0, task.HeadSha, "", true, "", null),
        TaskIdFor = _ => "",
    };
}
