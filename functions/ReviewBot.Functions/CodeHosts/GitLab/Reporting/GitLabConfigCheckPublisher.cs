using Microsoft.Extensions.Options;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitLab.Reporting;

/// <summary>The refused repository configuration on GitLab: a failed commit status <c>reviewbot/config</c> on the
/// merge request's head, its description the first error as <c>file:line:col: message</c> and how many there are
/// (GitLab shows one line of at most <see cref="CommitStatuses.MaxDescription"/> characters).</summary>
public sealed class GitLabConfigCheckPublisher(IHttpClientFactory http, IOptions<GitLabOptions> options) : IConfigCheckPublisher
{
    public string Host => CodeHostNames.GitLab;

    public async Task<bool> PublishAsync(ChangeRequest change, IReadOnlyList<ConfigError> errors, CancellationToken ct)
    {
        if (!options.Value.HasApi || change.ProjectId is not { } project) return false;
        var first = errors.Count > 0 ? errors[0].ToString() : $"{RepositoryConfig.FileName} refused";
        var text = errors.Count > 1 ? $"{first} (and {errors.Count - 1} more)" : first;
        var description = text.Length <= CommitStatuses.MaxDescription ? text : text[..(CommitStatuses.MaxDescription - 1)] + "…";
        try
        {
            await GitLabRegistration.Client(http).SetCommitStatusAsync(project, change.HeadSha, GitLabStates.Failed, IConfigCheckPublisher.Name, null, description, ct);
        }
        catch (GitLabApiException e) when (e.Status == System.Net.HttpStatusCode.BadRequest
                                           && e.ApiMessage.Contains("Cannot transition status", StringComparison.OrdinalIgnoreCase))
        {
            // Already failed on this commit (another instance, a restart).
        }

        return true;
    }
}
