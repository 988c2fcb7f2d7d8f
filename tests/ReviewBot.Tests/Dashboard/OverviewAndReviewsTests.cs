using ReviewBot.Functions.Stats;
using ReviewBot.Testing.FakeGitHub;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Tests.Reminders.Analysis;
using ReviewBot.Tests.Stats;
using static Microsoft.Playwright.Assertions;

namespace ReviewBot.Tests.Dashboard;

/// <summary>
/// The overview page (uPlot charts of the hourly rollups, seeded with a simulated day) and the reviews page (from
/// <c>GET /api/reminders</c> against the fake GitHub) in headless Chromium on the real app. Screenshots:
/// bin/…/artifacts/dashboard/overview.png and reviews.png.
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Browser")]
public sealed class OverviewAndReviewsTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _owned = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
    }

    [Fact]
    public async Task Overview_DrawsTheFourChartsFromADayOfRollups_WithLegendsNamingStatesAgentsAndRepositories()
    {
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux);
        _owned.Add(app);
        // The simulated day, laid over the last 24 hours (the app runs on the system clock, the page asks for the last 24 h).
        var day = RollupStore.HourOf(DateTimeOffset.UtcNow).AddHours(-23);
        var store = app.Services.GetRequiredService<RollupStore>();
        using var cts = new CancellationTokenSource(Timeouts.Long);
        foreach (var t in SimulatedDay.Endings(day)) await store.RecordAsync(t, 2, cts.Token);

        var session = await DashboardSession.OpenAsync(browser, app, "overview", height: 1100);
        _owned.Add(session);
        var page = session.Page;
        await session.SignInAsync();
        await page.Locator("a[data-nav='overview']").ClickAsync();

        foreach (var chart in new[] { "tasks", "queue", "run", "agents", "findings" })
            await Expect(page.Locator($"figure[data-chart='{chart}'] canvas")).ToHaveCountAsync(1);
        var tasksLegend = page.Locator("figure[data-chart='tasks'] .u-legend");
        foreach (var state in new[] { "succeeded", "failed", "cancelled" }) await Expect(tasksLegend).ToContainTextAsync(state);
        await Expect(tasksLegend).Not.ToContainTextAsync("timedout"); // no task timed out that day: no empty series
        await Expect(page.Locator("figure[data-chart='queue'] .u-legend")).ToContainTextAsync("p95");
        await Expect(page.Locator("figure[data-chart='run'] .u-legend")).ToContainTextAsync("p50");
        var agents = page.Locator("figure[data-chart='agents'] .u-legend");
        await Expect(agents).ToContainTextAsync("agent-a");
        await Expect(agents).ToContainTextAsync("agent-b");
        var findings = page.Locator("figure[data-chart='findings'] .u-legend");
        foreach (var repo in new[] { "octo/r0", "octo/r1", "octo/r2" }) await Expect(findings).ToContainTextAsync(repo);
        await Expect(page.Locator("a[data-nav='overview']")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("active"));
        session.Passed();
    }

    [Fact]
    public async Task Overview_WithoutRollups_SaysSoInEachChart()
    {
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux);
        _owned.Add(app);
        var session = await DashboardSession.OpenAsync(browser, app, "overview-empty");
        _owned.Add(session);
        await session.SignInAsync();
        await session.Page.GotoAsync("/#/overview");

        await Expect(session.Page.Locator("figure[data-chart='tasks'] .empty")).ToContainTextAsync("No task ended");
        await Expect(session.Page.Locator("figure canvas")).ToHaveCountAsync(0);
        session.Passed();
    }

    [Fact]
    public async Task Reviews_GroupsPullRequestsByWhoBlocksThem_WithWhySinceAndLinks()
    {
        const string token = "ghp_reviews_page_token";
        var github = await FakeGitHubServer.StartAsync();
        _owned.Add(github);
        github.PersonalAccessToken = token;
        foreach (var node in ReminderFixtures.GitHubNodes()) github.AddOpenPullNode("acme", "widgets", node);
        github.AddTeam("acme", "backend", "carol", "erin", "frank");
        var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, new Dictionary<string, string?>
        {
            ["ReviewBot:GitHub:ApiUrl"] = github.ApiUrl.ToString(),
            ["ReviewBot:GitHub:Token"] = token,
            ["ReviewBot:Reminders:Repositories:0"] = "github:acme/widgets",
            ["ReviewBot:Reminders:Repositories:1"] = "github:acme/missing",
            ["ReviewBot:Reminders:Analysis:CiOwners:0"] = "ci-oncall",
            ["ReviewBot:Reminders:Analysis:Mergers:0"] = "lead",
            ["ReviewBot:Reminders:Analysis:MergeabilityRecheckDelay"] = "00:00:00",
        });
        _owned.Add(app);
        var session = await DashboardSession.OpenAsync(browser, app, "reviews", height: 1400);
        _owned.Add(session);
        var page = session.Page;
        await session.SignInAsync();
        await page.Locator("a[data-nav='reviews']").ClickAsync();

        // Carol is asked to review #7 (with frank) and to look again at #6; #7 is listed under both.
        var carol = page.Locator("section[data-person='carol']");
        await Expect(carol.Locator("tbody tr")).ToHaveCountAsync(2);
        await Expect(carol.Locator("tr[data-pr='github:acme/widgets#6']")).ToContainTextAsync("re-review needed");
        var seven = carol.Locator("tr[data-pr='github:acme/widgets#7']");
        await Expect(seven).ToContainTextAsync("review requested");
        await Expect(seven.Locator("a")).ToHaveAttributeAsync("href", "https://github.com/acme/widgets/pull/7");
        await Expect(page.Locator("section[data-person='frank'] tr[data-pr='github:acme/widgets#7']")).ToHaveCountAsync(1);
        var lead = page.Locator("section[data-person='lead'] tr[data-pr='github:acme/widgets#8']");
        await Expect(lead).ToContainTextAsync("ready to merge");
        await Expect(lead).ToContainTextAsync("Ready to go");
        await Expect(lead.Locator("time").Last).ToHaveAttributeAsync("datetime", "2026-11-22T11:00:00+00:00");
        await Expect(page.Locator("section[data-person='ci-oncall'] tr[data-pr='github:acme/widgets#4']")).ToContainTextAsync("CI stuck");
        // Drafts and undetermined pull requests wait on nobody: listed last.
        await Expect(page.Locator("section.review-group").Last).ToHaveAttributeAsync("data-person", "");
        await Expect(page.Locator("section[data-person=''] tr[data-pr='github:acme/widgets#1']")).ToContainTextAsync("draft");
        await Expect(page.Locator("[data-repo-error='github:acme/missing']")).ToBeVisibleAsync();
        session.Passed();
    }
}
