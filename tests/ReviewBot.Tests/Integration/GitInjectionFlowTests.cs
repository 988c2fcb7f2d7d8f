using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Tasks;
using ReviewBot.Tests.CodeHosts.GitLab;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Tasks;

namespace ReviewBot.Tests.Integration;

/// <summary>
/// D1, D4 and D5 of the security review on real parts: the app on Azurite, a real agent process, real git and the real
/// shellcheck. Every hostile payload here created its sentinel file (through git's <c>--upload-pack</c>) or hid
/// shellcheck's findings on the code before the fix; the sentinel must not appear.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class GitInjectionFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _sentinels = Directory.CreateTempSubdirectory("reviewbot-sentinels-").FullName;
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["README.md"] = "# demo\n" },
            new Dictionary<string, string?> { ["--help.sh"] = "#!/bin/sh\necho \"fine\"\n", ["bad.sh"] = "#!/bin/sh\nfor f in $(ls *.txt); do echo $f; done\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
        Directory.Delete(_sentinels, recursive: true);
    }

    private string Sentinel(string name) => Path.Combine(_sentinels, name);

    private async Task<TestApp> StartWithAgentAsync(Dictionary<string, string?>? settings = null)
    {
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, settings);
        _owned.Add(app);
        var agent = AgentProcess.Start(app.Url, "linux-box", ["linux"]);
        _owned.Add(agent);
        await app.WaitForOnlineAsync(agent, Timeouts.Long);
        return app;
    }

    private static async Task AssertBadRequest(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(field, JsonDocument.Parse(text).RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task D1_HostileCloneUrlsAndRefs_AreRefusedWith400_AndNothingRunsOnTheAgent()
    {
        var settings = GitLabDeliveries.Settings("https://gitlab.example.com");
        settings["ReviewBot:Webhooks:AllowLocalCloneUrls"] = TestApp.Unset;
        var app = await StartWithAgentAsync(settings);
        var payloads = new (string Event, byte[] Body, string Field, string Sentinel)[]
        {
            ("pull_request", Edit(Deliveries.PullRequest(_repo), j => j["repository"]!["clone_url"] = $"--upload-pack=touch {Sentinel("cloneurl")}"), "repository.clone_url", "cloneurl"),
            ("pull_request", Edit(Deliveries.PullRequest(_repo, headSha: new string('1', 40)), j => j["pull_request"]!["head"]!["ref"] = "--upload-pack=touch${IFS}" + Sentinel("headref")), "pull_request.head.ref", "headref"),
            ("pull_request", Edit(Deliveries.PullRequest(_repo, headSha: new string('1', 40)), j => j["pull_request"]!["base"]!["ref"] = "--upload-pack=touch${IFS}" + Sentinel("baseref")), "pull_request.base.ref", "baseref"),
        };

        foreach (var (eventName, body, field, _) in payloads)
            await AssertBadRequest(await app.PostDeliveryAsync(eventName, body), field);
        await AssertBadRequest(await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo, edit: j =>
            j["object_attributes"]!["source"]!["git_http_url"] = $"--upload-pack=touch {Sentinel("gitlab")}")), "object_attributes.source.git_http_url");
        await AssertBadRequest(await GitLabDeliveries.PostAsync(app, GitLabDeliveries.MergeRequest(_repo, headSha: new string('1', 40), edit: j =>
            j["object_attributes"]!["source_branch"] = "--upload-pack=touch${IFS}" + Sentinel("gitlab-branch"))), "object_attributes.source_branch");

        Assert.Empty(await app.Tasks.ListAllAsync());
        Assert.Empty(Directory.GetFiles(_sentinels));
    }

    /// <summary>The agent does not rely on the server: a task that names a hostile ref or an unmarked local path (stored
    /// by an older server, or written around the ingest) ends as errored with the reason, and git runs nothing.</summary>
    [Fact]
    public async Task D1_D5_TheAgentRefusesAHostileSource_ThatReachedItAnyway()
    {
        var app = await StartWithAgentAsync();
        var lifecycle = app.Services.GetRequiredService<TaskLifecycle>();
        var linter = new LinterSpec("shellcheck", ["shellcheck"], ["-f", "gcc", "{files}"], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1));
        ReviewTask Task(string id, string cloneUrl, bool allowLocal, string headSha, string headRef) => new()
        {
            Id = id, Repository = "acme/app", CloneUrl = cloneUrl, AllowLocal = allowLocal, PullRequest = 3, HeadSha = headSha, HeadRef = headRef,
            BaseSha = _repo.BaseSha, BaseRef = "main", Linter = linter, NodeLabels = "linux", Trigger = "test", CreatedAt = DateTimeOffset.UtcNow,
        };

        var hostileRef = Task("hostile-ref", _repo.CloneUrl, allowLocal: true, new string('1', 40), $"--upload-pack=touch {Sentinel("agent-ref")}");
        var unmarkedLocal = Task("unmarked-local", _repo.BarePath, allowLocal: false, _repo.HeadSha, "feature");
        Assert.True(await lifecycle.CreateAsync(hostileRef, CancellationToken.None));
        Assert.True(await lifecycle.CreateAsync(unmarkedLocal, CancellationToken.None));

        var refDone = await app.WaitForTaskAsync(hostileRef.Id, t => t.State.IsTerminal(), Timeouts.Long, "the hostile-ref task to end");
        var localDone = await app.WaitForTaskAsync(unmarkedLocal.Id, t => t.State.IsTerminal(), Timeouts.Long, "the unmarked-local task to end");

        Assert.Equal(TaskState.Errored, refDone.State);
        Assert.Contains("head ref", refDone.Error);
        Assert.Equal(TaskState.Errored, localDone.State);
        Assert.Contains("local", localDone.Error);
        Assert.Empty(Directory.GetFiles(_sentinels));
    }

    /// <summary>D4 through the whole path (with the documented demo setting, as scripts/demo.sh runs it): a pull request
    /// adding <c>--help.sh</c> next to a bad script gets shellcheck's real findings, not its usage text.</summary>
    [Fact]
    public async Task D4_AFileNamedLikeAnOption_IsLinted_AndTheRealFindingsAreStored()
    {
        var app = await StartWithAgentAsync(new() { ["ReviewBot:Webhooks:AllowLocalCloneUrls"] = "true" });

        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Select(e => e.GetString()!).ToList();
        var shellcheck = ids.Single(id => app.Tasks.GetAsync(id, CancellationToken.None).Result!.Linter.Name == "shellcheck");
        var done = await app.WaitForTaskAsync(shellcheck, t => t.State.IsTerminal(), Timeouts.Long, "shellcheck to end");

        Assert.True(done.AllowLocal, "a webhook's local clone URL under the demo setting is marked for the agent");
        Assert.Equal(TaskState.Failed, done.State);
        var details = await app.GetJsonAsync<JsonElement>($"/api/tasks/{shellcheck}");
        var findings = details.GetProperty("findings").EnumerateArray().ToList();
        Assert.Contains(findings, f => f.GetProperty("file").GetString() == "bad.sh" && f.GetProperty("rule").GetString() == "SC2045");
        Assert.All(findings, f => Assert.Equal("bad.sh", f.GetProperty("file").GetString()));
        Assert.Equal(0, done.UnexpectedCount);
    }

    private static byte[] Edit(byte[] body, Action<JsonNode> edit)
    {
        var json = JsonNode.Parse(body)!;
        edit(json);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }
}
