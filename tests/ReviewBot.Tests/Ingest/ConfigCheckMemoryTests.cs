using System.Net;
using ReviewBot.Tests.CodeHosts.GitLab;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.Ingest;

/// <summary>
/// The failed reviewbot/config check is posted once per (repository, head commit, errors) by app instances on the same
/// tables in Azurite, across a restart, and again at the next delivery when posting it failed: a GitLab project whose
/// .reviewbot.yml at the base commit is refused, its status posts counted by the fake GitLab (which, like GitLab, would
/// refuse a second failed status on a commit: the posts are counted, not the statuses it kept).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConfigCheckMemoryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 42;
    private const int Iid = 5;
    private const string Server = """
        linters:
          lint-a: { command: ["true"] }
          lint-b: { command: ["true"] }
        """;

    private readonly string _prefix = AzuriteFixture.NewPrefix();
    private readonly List<TestApp> _apps = [];
    private GitRepo _repo = null!;
    private FakeGitLabServer _gitlab = null!;
    private FakeMergeRequest _mr = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo a\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo b\n" });
        _gitlab = await FakeGitLabServer.StartAsync();
        _mr = _gitlab.AddMergeRequest(Project, Iid);
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
        _gitlab.SetFile(Project, _repo.BaseSha, ".reviewbot.yml", "linters:\n  lint-b: { enable: false, command: [curl] }\n");
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) await app.DisposeAsync();
        await _gitlab.DisposeAsync();
        _repo.Dispose();
    }

    /// <summary>An instance on the test's tables.</summary>
    private async Task<TestApp> InstanceAsync()
    {
        var app = await TestApp.StartAsync(azurite, Server, GitLabDeliveries.Settings(_gitlab.Url, FakeGitLabServer.Token), prefix: _prefix);
        _apps.Add(app);
        return app;
    }

    /// <summary>A push to the merge request (same base): a new head commit, delivered to <paramref name="app"/>.</summary>
    private async Task PushAsync(TestApp app, string? head = null)
    {
        head ??= _repo.HeadSha;
        var hook = GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: Iid, headSha: head,
            edit: j => j["object_attributes"]!["source"]!["git_http_url"] = "https://127.0.0.1/group/project.git");
        var response = await GitLabDeliveries.PostAsync(app, hook);
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private string NewHead(string text)
    {
        var head = _repo.Push(new Dictionary<string, string?> { ["a.sh"] = text });
        _mr.SetDiff(_repo.BaseSha, _repo.BaseSha, head, _repo.Diff());
        return head;
    }

    private IReadOnlyList<FakeStatus> ConfigStatuses() => [.. _gitlab.Statuses.Where(s => s.Name == "reviewbot/config")];

    /// <summary>Every attempt to post the config status on <paramref name="head"/>, kept or refused.</summary>
    private int ConfigPosts(string head) =>
        _gitlab.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.EndsWith($"/statuses/{head}", StringComparison.Ordinal) && r.Body.Contains("reviewbot/config"));

    [Fact]
    public async Task ARestartedInstance_DoesNotPostItAgainOnTheSameHead_ButANewHeadGetsItsOwn()
    {
        var first = await InstanceAsync();
        var firstHead = _repo.HeadSha;
        await PushAsync(first);
        Assert.Single(ConfigStatuses());
        await first.DisposeAsync();
        _apps.Remove(first);

        var restarted = await InstanceAsync();
        await PushAsync(restarted, firstHead);

        // The restarted instance remembered, through the table, that this head has it.
        Assert.Equal(1, ConfigPosts(firstHead));

        var next = NewHead("echo c\n");
        await PushAsync(restarted, next);
        Assert.Equal([firstHead, next], ConfigStatuses().Select(s => s.Sha));
    }

    [Fact]
    public async Task TwoInstances_DeliveredTheSameHeadAtOnce_PostItOnce()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();

        await Task.WhenAll(PushAsync(a), PushAsync(b)).WaitAsync(Timeouts.Long);

        Assert.Equal(1, ConfigPosts(_repo.HeadSha));
        Assert.Single(ConfigStatuses());
    }

    [Fact]
    public async Task AFailedPost_IsPostedAtTheNextDeliveryOfThatHead()
    {
        var app = await InstanceAsync();
        _gitlab.RefuseNextStatuses(1);
        await PushAsync(app);
        Assert.Empty(ConfigStatuses());

        await PushAsync(app);

        var status = Assert.Single(ConfigStatuses());
        Assert.Equal(("failed", _repo.HeadSha), (status.State, status.Sha));
    }
}
