using System.Net;
using ReviewBot.Functions.CodeHosts.GitLab.Api;
using ReviewBot.Testing.FakeGitLab;

namespace ReviewBot.Tests.CodeHosts.GitLab.Api;

public sealed class GitLabClientTests : IAsyncLifetime
{
    private GitLabHarness _h = null!;

    public async Task InitializeAsync()
    {
        _h = await GitLabHarness.StartAsync();
        _h.Fake.AddMergeRequest(7, 3).SetDiff("b", "s", "h", "");
    }

    public async Task DisposeAsync() => await _h.DisposeAsync();

    private async Task AddNotes(int n)
    {
        for (var i = 0; i < n; i++) await _h.Client.CreateNoteAsync(7, 3, $"note {i}", CancellationToken.None);
    }

    [Fact]
    public async Task Listing_FollowsXNextPage_UntilTheLastPage()
    {
        await AddNotes(5);
        _h.Fake.MaxPerPage = 2;

        var notes = await _h.Client.ListNotesAsync(7, 3, CancellationToken.None);

        Assert.Equal(["note 0", "note 1", "note 2", "note 3", "note 4"], notes.Select(n => n.Body));
        var gets = _h.Fake.Requests.Where(r => r.Method == "GET").ToList();
        Assert.Equal(3, gets.Count);
        Assert.All(gets, r => Assert.Contains("per_page=100", r.PathAndQuery));
    }

    [Fact]
    public async Task Listing_FollowsTheLinkHeader_WhenGitLabLeavesOutTheXHeaders()
    {
        await AddNotes(5);
        _h.Fake.MaxPerPage = 2;
        _h.Fake.LinkHeaderOnly = true;

        var notes = await _h.Client.ListNotesAsync(7, 3, CancellationToken.None);

        Assert.Equal(5, notes.Count);
        Assert.Equal(3, _h.Fake.Requests.Count(r => r.Method == "GET"));
    }

    [Fact]
    public async Task EveryRequest_CarriesThePrivateToken()
    {
        await AddNotes(1);
        Assert.All(_h.Fake.Requests, r => Assert.Equal(FakeGitLabServer.Token, r.PrivateToken));
    }

    [Fact]
    public async Task WrongToken_Throws401_WithGitLabsMessage()
    {
        await using var other = await GitLabHarness.StartAsync(token: "glpat-wrong");
        other.Fake.AddMergeRequest(7, 3);

        var e = await Assert.ThrowsAsync<GitLabApiException>(() => other.Client.GetMergeRequestAsync(7, 3, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, e.Status);
        Assert.Equal("401 Unauthorized", e.ApiMessage);
    }

    [Fact]
    public async Task Write_RefusedWith429_IsRetriedAfterRetryAfter()
    {
        _h.Fake.RefuseNext(429, retryAfter: "0");

        await _h.Client.CreateNoteAsync(7, 3, "after a 429", CancellationToken.None).WithTimeout(Timeouts.Short, "the retried write");

        Assert.Equal(2, _h.Fake.Requests.Count(r => r.Method == "POST"));
        Assert.Single(await _h.Client.ListNotesAsync(7, 3, CancellationToken.None));
    }

    [Fact]
    public async Task Write_FailingWith502_IsNotRetried_SinceItMayHaveHappened()
    {
        _h.Fake.RefuseNext(502);

        var e = await Assert.ThrowsAsync<GitLabApiException>(() => _h.Client.CreateNoteAsync(7, 3, "once", CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadGateway, e.Status);
        Assert.Single(_h.Fake.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task Read_FailingWith502_IsRetried()
    {
        _h.Fake.RefuseNext(502);

        var mr = await _h.Client.GetMergeRequestAsync(7, 3, CancellationToken.None).WithTimeout(Timeouts.Short, "the retried read");

        Assert.Equal("b", mr.DiffRefs?.BaseSha);
        Assert.Equal(2, _h.Fake.Requests.Count(r => r.Method == "GET"));
    }
}
