using System.Net;
using ReviewBot.Tests.CodeHosts.GitLab;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.Ingest;

/// <summary>
/// The failed reviewbot/config check is posted once per (repository, base commit, errors) by app instances on the same
/// tables in Azurite, across a restart, and again at the next push when posting it failed: a GitLab project whose
/// .reviewbot.yml at the base commit is refused, its statuses counted by the fake GitLab.
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

    [Fact]
    public async Task ARestartedInstance_DoesNotPostItAgain()
    {
        var first = await InstanceAsync();
        var firstHead = _repo.HeadSha;
        await PushAsync(first);
        Assert.Single(ConfigStatuses());
        await first.DisposeAsync();
        _apps.Remove(first);

        var restarted = await InstanceAsync();
        await PushAsync(restarted, NewHead("echo c\n"));

        // Only the first head has it: the restarted instance remembered, through the table, that it was posted.
        Assert.Equal(firstHead, Assert.Single(ConfigStatuses()).Sha);
    }

    [Fact]
    public async Task TwoInstances_PushedToAtOnce_PostItOnce()
    {
        var a = await InstanceAsync();
        var b = await InstanceAsync();
        // Two heads on the same base, so that a second post would be a status of its own (GitLab refuses setting a
        // commit's status to the state it has).
        var second = NewHead("echo c\n");
        var third = NewHead("echo d\n");

        await Task.WhenAll(PushAsync(a, second), PushAsync(b, third)).WaitAsync(Timeouts.Long);

        Assert.Single(ConfigStatuses());
    }

    [Fact]
    public async Task AFailedPost_IsPostedAtTheNextPush()
    {
        var app = await InstanceAsync();
        _gitlab.RefuseNextStatuses(1);
        await PushAsync(app);
        Assert.Empty(ConfigStatuses());

        var head = NewHead("echo c\n");
        await PushAsync(app, head);

        var status = Assert.Single(ConfigStatuses());
        Assert.Equal(("failed", head), (status.State, status.Sha));
    }
}
