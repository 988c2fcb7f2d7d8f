using Microsoft.Extensions.Options;
using Octokit;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Auth;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>The refused repository configuration on GitHub: a completed <c>reviewbot/config</c> check run concluded
/// <c>failure</c> whose summary lists every error and whose annotations point at them (an App), else a failed commit
/// status of that context (a token).</summary>
public sealed class ConfigCheckPublisher(IGitHubClientFactory clients, IOptions<GitHubOptions> options) : IConfigCheckPublisher
{
    private const int MaxSummaryChars = 60_000;

    public string Host => CodeHostNames.GitHub;

    public async Task<bool> PublishAsync(ChangeRequest change, IReadOnlyList<ConfigError> errors, CancellationToken ct)
    {
        if (!options.Value.HasCredentials) return false;
        var client = await clients.ForInstallationAsync(change.InstallationId, ct);
        var repo = RepoName.Parse(change.Repository);
        var title = $"{RepositoryConfig.FileName} refused: {errors.Count} error(s); the server's configuration applies";
        if (!clients.IsApp)
        {
            var first = errors.Count > 0 ? errors[0].ToString() : title;
            await client.Repository.Status.Create(repo.Owner, repo.Name, change.HeadSha, new NewCommitStatus
            {
                State = CommitState.Failure,
                Context = IConfigCheckPublisher.Name,
                Description = first.Length <= 140 ? first : first[..139] + "…",
            });
            return true;
        }

        var summary = $"ReviewBot read `{RepositoryConfig.FileName}` at the pull request's base commit ({change.BaseSha}) and refused it; " +
            "the server's configuration applies until a valid file is merged.\n\n```\n" + string.Join('\n', errors) + "\n```\n";
        var output = new NewCheckRunOutput(title, summary.Length <= MaxSummaryChars ? summary : summary[..MaxSummaryChars] + "\n…")
        {
            Annotations = [.. errors.Where(e => e.Line > 0).Take(CheckRunPublisher.AnnotationsPerRequest).Select(e =>
                new NewCheckRunAnnotation(e.File, e.Line, e.Line, CheckAnnotationLevel.Failure, e.Message) { StartColumn = e.Column, EndColumn = e.Column })],
        };
        await client.Check.Run.Create(repo.Owner, repo.Name, new NewCheckRun(IConfigCheckPublisher.Name, change.HeadSha)
        {
            Status = CheckStatus.Completed,
            Conclusion = CheckConclusion.Failure,
            Output = output,
        });
        return true;
    }
}
