using System.Net;
using System.Text.RegularExpressions;
using ReviewBot.Tests.CodeHosts.GitLab;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitLab;
using static Microsoft.Playwright.Assertions;

namespace ReviewBot.Tests.Dashboard;

/// <summary>
/// The dashboard's repository page (#/repos/{owner}/{repo}) in headless Chromium against the real app on Azurite and a
/// real git repository: reached from the task list, it shows each value with its origin, and a refused file's errors.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Browser")]
public sealed class RepositoryPageTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private const string Server = """
        linters:
          lint-a: { command: ["true"] }
          lint-b: { command: ["true"] }
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["a.sh"] = "echo a\n", [".reviewbot.yml"] = "linters:\n  lint-b:\n    failOn: warning\n" },
            new Dictionary<string, string?> { ["a.sh"] = "echo b\n", [".reviewbot.yml"] = "linters:\n  lint-a: { command: [evil] }\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task FromTheTaskList_TheRepositoryPageShowsEachValuesOrigin_AndAnotherRefsErrors()
    {
        var app = await TestApp.StartAsync(azurite, Server);
        _owned.Add(app);
        Assert.Equal(HttpStatusCode.Accepted, (await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo))).StatusCode);
        var session = await DashboardSession.OpenAsync(browser, app, "repository-page");
        _owned.Add(session);
        var page = session.Page;
        await session.SignInAsync();

        await page.Locator("#tasks-body a.repo-link").First.ClickAsync();

        await Expect(page.Locator("#file-state")).ToHaveTextAsync("applied");
        Assert.EndsWith("#/repos/Codertocat/Hello-World", page.Url);
        var failOn = page.Locator("[data-linter=lint-b] tr[data-setting=failOn]");
        await Expect(failOn).ToContainTextAsync("warning");
        await Expect(failOn.Locator(".origin")).ToContainTextAsync("repository file .reviewbot.yml:3:5");
        await Expect(page.Locator("[data-linter=lint-a] tr[data-setting=filter] .origin")).ToHaveTextAsync("built-in default");
        await session.ScreenshotAsync("-applied");

        // The head commit's file defines a command the server's policy does not allow: shown refused, with its line.
        await page.Locator("#config-ref").FillAsync(_repo.HeadSha);
        await page.Locator("#config-ref").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex($"#/repos/Codertocat/Hello-World\\?ref={_repo.HeadSha}$"));

        await Expect(page.Locator("#file-state")).ToHaveTextAsync("refused (errors below)");
        await Expect(page.Locator("#config-errors")).ToContainTextAsync(".reviewbot.yml:2:13: linters.lint-a.command:");
        await Expect(page.Locator("[data-linter=lint-a] h3")).ToContainTextAsync("enabled");
        session.Passed();
    }

    [Fact]
    public async Task AGitLabProjectInASubgroup_HasItsPage_ReachedFromTheTaskList()
    {
        const string path = "platform/backend/billing-api";
        await using var gitlab = await FakeGitLabServer.StartAsync();
        gitlab.AddMergeRequest(314, 3).SetDiff(_repo.BaseSha, _repo.BaseSha, _repo.HeadSha, _repo.Diff());
        gitlab.SetFile(314, _repo.BaseSha, ".reviewbot.yml", "linters:\n  lint-b:\n    failOn: warning\n");
        var app = await TestApp.StartAsync(azurite, Server, GitLabDeliveries.Settings(gitlab.Url, FakeGitLabServer.Token));
        _owned.Add(app);
        var hook = GitLabDeliveries.MergeRequest(_repo, projectId: 314, iid: 3, path: path,
            edit: j => j["object_attributes"]!["source"]!["git_http_url"] = $"https://127.0.0.1/{path}.git");
        Assert.Equal(HttpStatusCode.Accepted, (await GitLabDeliveries.PostAsync(app, hook)).StatusCode);
        var session = await DashboardSession.OpenAsync(browser, app, "repository-page-nested");
        _owned.Add(session);
        var page = session.Page;
        await session.SignInAsync();

        await page.Locator("#tasks-body a.repo-link").First.ClickAsync();

        await Expect(page.Locator("#file-state")).ToHaveTextAsync("applied");
        Assert.EndsWith($"#/repos/{path}", page.Url);
        await Expect(page.Locator("h1")).ToHaveTextAsync(path);
        await Expect(page.Locator("[data-linter=lint-b] tr[data-setting=failOn] .origin")).ToContainTextAsync("repository file .reviewbot.yml:3:5");
        session.Passed();
    }
}
