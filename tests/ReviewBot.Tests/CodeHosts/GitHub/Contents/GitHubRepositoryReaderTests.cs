using ReviewBot.Core.Tasks;
using ReviewBot.Functions.CodeHosts.GitHub.Contents;
using ReviewBot.Functions.Configuration;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Trust;
using ReviewBot.Tests.CodeHosts.GitHub.Reporting;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.CodeHosts.GitHub.Contents;

/// <summary>The repository reader the app registers for GitHub, against the fake GitHub's contents and pull request
/// files endpoints.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitHubRepositoryReaderTests(AzuriteFixture azurite)
{
    private static ChangeRequest Change(GitRepo repo, bool local = false) => new()
    {
        Host = CodeHostNames.GitHub, Repository = GitHubReportingHarness.Repository, Number = GitHubReportingHarness.Number,
        Name = "pr", HeadSha = repo.HeadSha, BaseSha = repo.BaseSha, CloneUrl = "https://github.com/Codertocat/Hello-World.git",
        AllowLocal = local, Trigger = "test", DeliveryId = "d", InstallationId = 1,
        Origin = new PullRequestOrigin(CodeHostNames.GitHub, GitHubReportingHarness.Repository, 2, repo.HeadSha, "octocat", true, "admin", null),
        TaskIdFor = l => l,
    };

    [Fact]
    public async Task ReadsTheFileAtACommit_TellsAMissingOne_AndListsThePullRequestsChangedFiles()
    {
        using var repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["b/c.sh"] = "echo\n" });
        await using var h = await GitHubReportingHarness.StartAsync(azurite, repo, "linters: { lint: { command: [\"true\"] } }", agent: false);
        var yaml = "linters:\n  lint: { enable: false }\n# " + new string('x', 200) + "\n";   // longer than one base64 line
        h.GitHub.AddFile(GitHubReportingHarness.Owner, GitHubReportingHarness.Name, repo.BaseSha, RepositoryConfig.FileName, yaml);
        var reader = h.App.Services.GetServices<IRepositoryReader>().OfType<GitHubRepositoryReader>().Single();
        var change = Change(repo);

        Assert.True(reader.Serves(change));
        Assert.False(reader.Serves(Change(repo, local: true)));   // a local repository is read from disk
        Assert.Equal(yaml, (await reader.ReadFileAsync(change, RepositoryConfig.FileName, repo.BaseSha, default))!.Text);
        Assert.False((await reader.ReadFileAsync(change, RepositoryConfig.FileName, repo.HeadSha, default))!.Exists);
        Assert.Equal(["b/c.sh"], await reader.ChangedFilesAsync(change, default));
    }
}
