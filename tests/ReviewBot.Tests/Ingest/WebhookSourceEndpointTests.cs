using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.CodeHosts.GitLab;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.Ingest;

/// <summary>
/// D1 and D5 on the server: a signed delivery whose clone URL is not https/ssh on the configured code host, or whose
/// refs, commits or repository name are not valid, is answered 400 problem+json naming the field, and nothing is stored
/// (no task, no delivery row). The app runs as in production: <c>ReviewBot:Webhooks:AllowLocalCloneUrls</c> unset.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookSourceEndpointTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string GitLabUrl = "https://gitlab.example.com";
    private const string JobsConfig = Configs.ShellcheckOnLinux + """

        jobs:
          on-push:
            trigger: { push: ".*" }
            repository: Codertocat/Hello-World
            cloneUrl: https://github.com/Codertocat/Hello-World.git
            steps: ["true"]
          on-tag:
            trigger: { tagCreated: "*" }
            repository: Codertocat/Hello-World
            cloneUrl: https://github.com/Codertocat/Hello-World.git
            steps: ["true"]
        """;

    private TestApp _app = null!;
    private GitRepo _repo = null!;

    public async Task InitializeAsync()
    {
        var settings = GitLabDeliveries.Settings(GitLabUrl, "glpat-test");
        settings["ReviewBot:GitLab:MaxRetries"] = "0"; // the instance does not exist: the base commit is read once and given up
        settings["ReviewBot:Webhooks:AllowLocalCloneUrls"] = TestApp.Unset;
        _app = await TestApp.StartAsync(azurite, JobsConfig, settings);
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo ok\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        _repo.Dispose();
    }

    private static byte[] PullRequest(GitRepo repo, Action<JsonNode> edit)
    {
        var json = JsonNode.Parse(Deliveries.PullRequest(repo))!;
        json["repository"]!["clone_url"] = "https://github.com/Codertocat/Hello-World.git";
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private async Task AssertRefused(HttpResponseMessage response, string field, string deliveryId, string host = "github")
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.Contains(field, problem.GetProperty("detail").GetString());
        Assert.Empty(await _app.Tasks.ListAllAsync());
        Assert.False(await _app.Services.GetRequiredService<DeliveryStore>().ExistsAsync(host, deliveryId, CancellationToken.None));
    }

    private async Task AssertGitHubRefused(string eventName, byte[] body, string field)
    {
        var delivery = Guid.NewGuid().ToString();
        await AssertRefused(await _app.PostDeliveryAsync(eventName, body, delivery), field, delivery);
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/reviewbot-pwned-cloneurl")]
    [InlineData("--upload-pack=touch${IFS}/tmp/reviewbot-pwned-cloneurl-ifs")]
    [InlineData("ext::sh -c touch% /tmp/reviewbot-pwned-ext")]
    [InlineData("ssh://-oProxyCommand=touch%20/tmp/reviewbot-pwned/x")]
    [InlineData("-")]
    public Task D1_ACloneUrlThatIsAnOptionOrAHelper_Is400(string cloneUrl) =>
        AssertGitHubRefused("pull_request", PullRequest(_repo, j => j["repository"]!["clone_url"] = cloneUrl), "repository.clone_url");

    [Theory]
    [InlineData("head")]
    [InlineData("base")]
    public Task D1_ARefThatIsAnOption_Is400(string which) =>
        AssertGitHubRefused("pull_request", PullRequest(_repo, j => j["pull_request"]![which]!["ref"] = "--upload-pack=touch${IFS}/tmp/reviewbot-pwned-ref"), $"pull_request.{which}.ref");

    [Theory]
    [InlineData("pull_request.head.sha")]
    [InlineData("pull_request.base.sha")]
    public Task ACommitThatIsNotAHexSha_Is400(string field) =>
        AssertGitHubRefused("pull_request", PullRequest(_repo, j => j["pull_request"]![field.Split('.')[1]]!["sha"] = "--output=/tmp/x"), field);

    [Theory]
    [InlineData("Codertocat")]
    [InlineData("-x/Hello-World")]
    [InlineData("Codertocat/../../etc")]
    [InlineData("a/b/c")]
    public Task ARepositoryNameThatIsNotOwnerSlashName_Is400(string fullName) =>
        AssertGitHubRefused("pull_request", PullRequest(_repo, j => j["repository"]!["full_name"] = fullName), "repository.full_name");

    /// <summary>D5: without the demo setting a webhook cannot make an agent read its own disk or probe an internal host.</summary>
    [Theory]
    [InlineData("{bare}")]
    [InlineData("{file}")]
    [InlineData("http://127.0.0.1:21199/x.git")]
    [InlineData("https://127.0.0.1/x.git")]
    [InlineData("https://evil.example/Codertocat/Hello-World.git")]
    [InlineData("git://github.com/Codertocat/Hello-World.git")]
    [InlineData("http://github.com/Codertocat/Hello-World.git")]
    [InlineData("https://github.com:8443/Codertocat/Hello-World.git")]
    public Task D5_ACloneUrlNotOnTheCodeHost_Is400(string cloneUrl) =>
        AssertGitHubRefused("pull_request",
            PullRequest(_repo, j => j["repository"]!["clone_url"] = cloneUrl.Replace("{bare}", _repo.BarePath).Replace("{file}", _repo.CloneUrl)),
            "repository.clone_url");

    [Theory]
    [InlineData("https://github.com/Codertocat/Hello-World.git")]
    [InlineData("https://GitHub.com/Codertocat/Hello-World.git")]
    [InlineData("ssh://git@github.com/Codertocat/Hello-World.git")]
    [InlineData("git@github.com:Codertocat/Hello-World.git")]
    public async Task ACloneUrlOnTheCodeHost_IsAccepted_AndItsTasksMayNotFetchLocalPaths(string cloneUrl)
    {
        var response = await _app.PostDeliveryAsync("pull_request", PullRequest(_repo, j => j["repository"]!["clone_url"] = cloneUrl));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var stored = await _app.Tasks.ListAllAsync();
        Assert.NotEmpty(stored);
        Assert.All(stored, t => Assert.False(t.AllowLocal));
    }

    [Fact]
    public Task D1_AJobEvent_WithABranchThatIsAnOption_Is400()
    {
        var push = Deliveries.Load("push");
        push["ref"] = "refs/heads/--upload-pack=touch${IFS}/tmp/reviewbot-pwned-push";
        push["after"] = _repo.HeadSha;
        push["deleted"] = false;
        push["repository"]!["full_name"] = "Codertocat/Hello-World";
        return AssertGitHubRefused("push", Encoding.UTF8.GetBytes(push.ToJsonString()), "ref");
    }

    [Fact]
    public Task D1_AJobEvent_WithATagThatIsAnOption_Is400()
    {
        var create = Deliveries.Load("create");
        create["ref"] = "--upload-pack=touch${IFS}/tmp/reviewbot-pwned-tag";
        create["ref_type"] = "tag";
        create["repository"]!["full_name"] = "Codertocat/Hello-World";
        return AssertGitHubRefused("create", Encoding.UTF8.GetBytes(create.ToJsonString()), "ref");
    }

    private async Task AssertGitLabRefused(Action<JsonNode> edit, string field)
    {
        var delivery = Guid.NewGuid().ToString();
        var body = GitLabDeliveries.MergeRequest(_repo, edit: j =>
        {
            j["object_attributes"]!["source"]!["git_http_url"] = GitLabUrl + "/group/project.git";
            edit(j);
        });
        await AssertRefused(await GitLabDeliveries.PostAsync(_app, body, uuid: delivery), field, delivery, "gitlab");
    }

    [Theory]
    [InlineData("--upload-pack=touch /tmp/reviewbot-pwned-gitlab")]
    [InlineData("{file}")]
    [InlineData("https://gitlab.com/group/project.git")]
    [InlineData("http://gitlab.example.com/group/project.git")]
    public Task D1_D5_AGitLabCloneUrlNotOnTheGitLabHost_Is400(string cloneUrl) =>
        AssertGitLabRefused(j => j["object_attributes"]!["source"]!["git_http_url"] = cloneUrl.Replace("{file}", _repo.CloneUrl), "object_attributes.source.git_http_url");

    [Theory]
    [InlineData("source_branch")]
    [InlineData("target_branch")]
    public Task D1_AGitLabBranchThatIsAnOption_Is400(string field) =>
        AssertGitLabRefused(j => j["object_attributes"]![field] = "--upload-pack=touch${IFS}/tmp/reviewbot-pwned-gitlab", $"object_attributes.{field}");

    [Theory]
    [InlineData("-group/project")]
    [InlineData("group/../project")]
    [InlineData("group/project.git")]
    public Task AGitLabProjectPathThatIsNotValid_Is400(string path) =>
        AssertGitLabRefused(j => j["project"]!["path_with_namespace"] = path, "project.path_with_namespace");

    [Fact]
    public async Task AGitLabCloneUrlOnTheGitLabHost_IsAccepted()
    {
        var body = GitLabDeliveries.MergeRequest(_repo, path: "group/sub.group/project", edit: j => j["object_attributes"]!["source"]!["git_http_url"] = GitLabUrl + "/group/sub.group/project.git");

        var response = await GitLabDeliveries.PostAsync(_app, body);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}
