using System.Net;
using System.Text;
using System.Text.Json;
using ReviewBot.Core.Tasks;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab;

/// <summary>
/// A merge request from a fork by someone without Developer access, against the fake GitLab (membership read from
/// <c>GET /projects/:id/members/all/:user_id</c>): it waits with a pending commit status that says why; a reporter's
/// <c>/ok-to-test</c> note is ignored, a developer's queues it, untrusted.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class UntrustedMergeRequestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long Project = 42;
    private const int Iid = 5;
    private const string Config = """
        linters:
          lint:
            command: ["true"]
        """;

    private GitRepo _repo = null!;
    private FakeGitLabServer _gitlab = null!;
    private TestApp _app = null!;

    public async Task InitializeAsync()
    {
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
        _gitlab = await FakeGitLabServer.StartAsync();
        _gitlab.AddMergeRequest(Project, Iid).SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
        _gitlab.SetMember(Project, 7, "reporter7", 20);
        _gitlab.SetMember(Project, 8, "dev8", 30);
        _app = await TestApp.StartAsync(azurite, Config, GitLabDeliveries.Settings(_gitlab.Url, FakeGitLabServer.Token));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _gitlab.DisposeAsync();
        _repo.Dispose();
    }

    /// <summary>The merge request from fork project 77 ("newcomer/project"), opened by user 51, who is no member.</summary>
    private byte[] ForkMergeRequest() => GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: Iid, edit: j =>
    {
        var a = j["object_attributes"]!;
        a["source_project_id"] = 77;
        a["target_project_id"] = Project;
        a["author_id"] = 51;
        a["source"]!["path_with_namespace"] = "newcomer/project";
        j["user"]!["id"] = 51;
        j["user"]!["username"] = "newcomer";
    });

    private static byte[] Note(long userId, string username, string text)
    {
        var json = GitLabDeliveries.Load("note.merge_request.go-gitlab");
        json["project"]!["id"] = Project;
        json["project"]!["path_with_namespace"] = "group/project";
        json["merge_request"]!["iid"] = Iid;
        json["user"]!["id"] = userId;
        json["user"]!["username"] = username;
        json["object_attributes"]!["note"] = text;
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private async Task<(HttpStatusCode, JsonElement)> Post(byte[] body, string eventName)
    {
        var response = await GitLabDeliveries.PostAsync(_app, body, eventName);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement);
    }

    [Fact]
    public async Task ForkOfANonMember_WaitsWithAPendingStatus_AReportersNoteIsIgnored_ADevelopersQueuesIt()
    {
        var (status, answer) = await Post(ForkMergeRequest(), "Merge Request Hook");
        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = answer.GetProperty("tasks")[0].GetString()!;
        var waiting = await _app.WaitForTaskAsync(id, t => t.Reporting.Stage == ReportStage.ActionRequired, Timeouts.Long, "the pending status");

        Assert.Equal((TaskState.Waiting, true), (waiting.State, waiting.Untrusted));
        Assert.Equal("waiting for `/ok-to-test` from a member with Developer access or more: author newcomer is not a member of the project from fork newcomer/project",
            waiting.PlacementReason);
        var pending = Assert.Single(_gitlab.Statuses);
        Assert.Equal(("pending", "reviewbot/lint", _repo.HeadSha), (pending.State, pending.Name, pending.Sha));
        Assert.StartsWith("Waiting for /ok-to-test from a member with Developer access or more: author newcomer is not a member", pending.Description);
        Assert.Contains(_gitlab.Requests, r => r.PathAndQuery == $"/api/v4/projects/{Project}/members/all/51");

        (status, answer) = await Post(Note(7, "reporter7", "/ok-to-test"), "Note Hook");
        Assert.Equal((HttpStatusCode.OK, "ignored"), (status, answer.GetProperty("status").GetString()));
        Assert.Equal("reporter7 is a reporter; only members with Developer access or more can approve", answer.GetProperty("message").GetString());
        Assert.Equal(TaskState.Waiting, (await _app.Tasks.GetAsync(id, default))!.State);

        (status, answer) = await Post(Note(8, "dev8", "/ok-to-test"), "Note Hook");
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal(id, answer.GetProperty("tasks")[0].GetString());
        var queued = (await _app.Tasks.GetAsync(id, default))!;
        Assert.Equal((TaskState.Queued, true), (queued.State, queued.Untrusted));
        Assert.Equal("approved by dev8 (/ok-to-test)", queued.History[^1].Note);
    }

    [Fact]
    public async Task SameProjectMergeRequest_RunsWithoutAsking()
    {
        var (status, answer) = await Post(GitLabDeliveries.MergeRequest(_repo, projectId: Project, iid: Iid), "Merge Request Hook");

        Assert.Equal(HttpStatusCode.Accepted, status);
        var task = (await _app.Tasks.GetAsync(answer.GetProperty("tasks")[0].GetString()!, default))!;
        Assert.Equal((TaskState.Queued, false), (task.State, task.Untrusted));
        Assert.DoesNotContain(_gitlab.Requests, r => r.PathAndQuery.Contains("/members/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotesThatAreNotApprovals_AreIgnoredWithTheReason()
    {
        var (status, answer) = await Post(Note(8, "dev8", "Please rebase."), "Note Hook");
        Assert.Equal((HttpStatusCode.OK, "the note is not /ok-to-test (alone on a line)"), (status, answer.GetProperty("message").GetString()));

        var issueNote = GitLabDeliveries.Load("note.merge_request.go-gitlab");
        issueNote["object_attributes"]!["noteable_type"] = "Issue";
        (status, answer) = await Post(Encoding.UTF8.GetBytes(issueNote.ToJsonString()), "Note Hook");
        Assert.Equal((HttpStatusCode.OK, "noteable_type is Issue: only notes on merge requests can approve"), (status, answer.GetProperty("message").GetString()));

        var broken = GitLabDeliveries.Load("note.merge_request.go-gitlab");
        broken["merge_request"]!["iid"] = "five";
        (status, answer) = await Post(Encoding.UTF8.GetBytes(broken.ToJsonString()), "Note Hook");
        Assert.Equal((HttpStatusCode.BadRequest, "merge_request.iid"), (status, answer.GetProperty("field").GetString()));
    }
}
