using ReviewBot.Contracts.Agents;
using ReviewBot.Core.Tasks;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using ReviewBot.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ReviewBot.Tests.Dashboard;

/// <summary>
/// The dashboard in headless Chromium against the real app on Azurite, real agent processes and a real git repository.
/// Screenshots: bin/…/artifacts/dashboard/&lt;test&gt;.png (see <see cref="BrowserFixture.ArtifactsDir"/>).
/// </summary>
[Collection(AzuriteCollection.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardTests(AzuriteFixture azurite, BrowserFixture browser) : IClassFixture<BrowserFixture>, IAsyncLifetime
{
    /// <summary>A linter that prints 40 numbered lines (with ANSI red) over about 10 seconds.</summary>
    private const string SlowLinter = """
        linters:
          slow:
            languages: [".sh"]
            command: ["sh", "-c", "for i in $(seq 1 40); do printf 'line %s \\033[31mred\\033[0m\\n' $i; sleep 0.25; done", "slow"]
            args: ["{files}"]
            format: gcc
            nodeLabels: "linux"
            timeout: 00:01:00
        """;

    private readonly List<IAsyncDisposable> _owned = [];
    private GitRepo _repo = null!;

    public Task InitializeAsync()
    {
        _repo = GitRepo.Create(
            new Dictionary<string, string> { ["build.sh"] = "#!/bin/sh\necho building\n" },
            new Dictionary<string, string?> { ["build.sh"] = "#!/bin/sh\necho building\nrm -rf $1/out\n" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var d in Enumerable.Reverse(_owned)) await d.DisposeAsync();
        _repo.Dispose();
    }

    private async Task<TestApp> App(string config = SlowLinter)
    {
        var app = await TestApp.StartAsync(azurite, config);
        _owned.Add(app);
        return app;
    }

    private async Task<AgentProcess> Agent(TestApp app, string name)
    {
        var agent = AgentProcess.Start(app.Url, name, ["linux"]);
        _owned.Add(agent);
        await app.WaitForOnlineAsync(agent, Timeouts.Long);
        return agent;
    }

    private async Task<DashboardSession> Open(TestApp app, string name, int width = 1280, int height = 860)
    {
        var session = await DashboardSession.OpenAsync(browser, app, name, width, height);
        _owned.Add(session);
        return session;
    }

    private async Task<string> Deliver(TestApp app)
    {
        var response = await app.PostDeliveryAsync("pull_request", Deliveries.PullRequest(_repo));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("tasks").EnumerateArray().Single().GetString()!;
    }

    [Fact]
    public async Task KeyPrompt_ThenATaskAppearsWithoutReload_WhenAWebhookArrives()
    {
        var app = await App();
        var session = await Open(app, "tasks-live");
        var page = session.Page;
        await session.SignInAsync();
        await Expect(page.Locator("#tasks-body .empty")).ToContainTextAsync("No tasks yet");
        await session.ScreenshotAsync("-empty");

        var id = await Deliver(app); // no agent: the task stays queued and says why

        var row = page.Locator($"tr[data-task='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("Codertocat/Hello-World");
        await Expect(row).ToContainTextAsync("slow");
        await Expect(row.Locator(".reason")).ToContainTextAsync("no agent");
        session.Passed();
    }

    [Fact]
    public async Task TaskList_LoadsMorePagesOnRequest_AndANewTaskStillAppearsOnTop()
    {
        var app = await App();
        var at = DateTimeOffset.UtcNow.AddDays(-1);
        await app.Tasks.ImportAsync([.. Enumerable.Range(0, 60).Select(i => new ReviewTask
        {
            Id = $"old{i:D3}",
            Repository = "octo/history",
            CloneUrl = "https://github.com/octo/history.git",
            HeadSha = new string('a', 40),
            Linter = new LinterSpec("lint", ["true"], [], new Dictionary<string, string>(), null, "gcc", [".sh"], TimeSpan.FromMinutes(1)),
            State = TaskState.Succeeded,
            CreatedAt = at.AddMinutes(i),
            Reporting = ReportProgress.Off("history"),
        })], default);
        var session = await Open(app, "tasks-load-more");
        var page = session.Page;
        await session.SignInAsync();
        var rows = page.Locator("#tasks-body tbody tr");
        await Expect(rows).ToHaveCountAsync(50);
        await Expect(rows.First).ToHaveAttributeAsync("data-task", "old059");

        await page.Locator("#load-more").ClickAsync();

        await Expect(rows).ToHaveCountAsync(60);
        await Expect(rows.Last).ToHaveAttributeAsync("data-task", "old000");
        await Expect(page.Locator("#load-more")).ToHaveCountAsync(0);
        var id = await Deliver(app);
        await Expect(rows).ToHaveCountAsync(61);
        await Expect(rows.First).ToHaveAttributeAsync("data-task", id);
        await session.ScreenshotAsync();
        session.Passed();
    }

    [Fact]
    public async Task WrongKey_IsRefusedAtThePrompt()
    {
        var app = await App();
        var session = await Open(app, "key-refused");
        await session.Page.GotoAsync("/");
        await session.Page.Locator("#api-key").FillAsync("this-key-is-not-configured");
        await session.Page.GetByRole(AriaRole.Button, new() { Name = "Open the dashboard" }).ClickAsync();
        await Expect(session.Page.Locator(".key-form .error")).ToHaveTextAsync("That key is not valid.");
        session.Passed();
    }

    [Fact]
    public async Task TaskConsole_ShowsLinesWhileTheTaskRuns_WithAnsiColours()
    {
        var app = await App();
        await Agent(app, "console-box");
        var session = await Open(app, "task-console");
        var page = session.Page;
        await session.SignInAsync();
        var id = await Deliver(app);
        await app.WaitForTaskAsync(id, t => t.State == TaskState.Running, Timeouts.Long, "the slow task to run");

        await page.GotoAsync($"/#/tasks/{id}");
        var console = page.Locator("#console");
        await Expect(console).ToContainTextAsync("line 3");
        await Expect(page.Locator(".task-head .badge")).ToHaveTextAsync("running");
        await Expect(console).Not.ToContainTextAsync("line 40"); // more arrives while we watch
        await session.ScreenshotAsync("-running");

        await Expect(console).ToContainTextAsync("line 40");
        await Expect(console.Locator("span.ansi-fg-1").First).ToHaveTextAsync("red");
        Assert.Equal(0, await console.Locator("b, script").CountAsync());
        await Expect(page.Locator(".task-head .badge")).ToHaveTextAsync("succeeded");
        await Expect(page.Locator("ol.history")).ToContainTextAsync("running");
        session.Passed();
    }

    [Fact]
    public async Task AbortButton_CancelsARunningTask()
    {
        var app = await App();
        await Agent(app, "abort-box");
        var session = await Open(app, "task-abort");
        var page = session.Page;
        await session.SignInAsync();
        var id = await Deliver(app);
        await app.WaitForTaskAsync(id, t => t.State == TaskState.Running, Timeouts.Long, "the slow task to run");

        var row = page.Locator($"tr[data-task='{id}']");
        await Expect(row).ToHaveAttributeAsync("data-state", "running");
        await row.Locator("[data-action=abort]").ClickAsync();
        await Expect(row).ToHaveAttributeAsync("data-state", "cancelled");
        await Expect(row.Locator(".badge")).ToHaveTextAsync("cancelled");
        session.Passed();
    }

    [Fact]
    public async Task DrainButton_ShowsTheAgentDraining_AndResumeBringsItBack()
    {
        var app = await App();
        await Agent(app, "drain-box");
        var session = await Open(app, "agents-drain");
        var page = session.Page;
        await session.SignInAsync();
        await page.GotoAsync("/#/agents");

        var row = page.Locator("tr[data-name='drain-box']");
        await Expect(row.Locator(".badge").First).ToHaveTextAsync("online");
        await row.Locator("[data-action=drain]").ClickAsync();
        await Expect(row.Locator(".badge").First).ToHaveTextAsync("draining");
        Assert.True(app.Agents.All.Single(n => n.Name == "drain-box").DrainRequested);

        await page.Locator("#label-filter").FillAsync("linux && !gpu");
        await Expect(page.Locator("#label-filter-note")).ToHaveTextAsync("1 of 1 agent(s) match");
        await Expect(row).ToHaveClassAsync("match");
        await session.ScreenshotAsync("-draining");

        await row.Locator("[data-action=resume]").ClickAsync();
        await Expect(row.Locator(".badge").First).ToHaveTextAsync("online");
        await page.Locator("#label-filter").FillAsync("linux &&");
        await Expect(page.Locator("#label-filter-note")).ToHaveClassAsync("error");
        session.Passed();
    }

    [Fact]
    public async Task RevokeButton_CutsTheAgentOff_AndASharedTokenAgentIsFlagged()
    {
        var app = await App();
        var agent = await Agent(app, "revoke-box");
        var legacy = await ContractClient.ConnectWithAsync(app, TestApp.AgentToken, "legacy-box", "linux");
        _owned.Add(legacy);
        var session = await Open(app, "agents-revoke");
        var page = session.Page;
        await session.SignInAsync();
        await page.GotoAsync("/#/agents");

        await Expect(page.Locator("tr[data-name='legacy-box'] [data-credential=shared]")).ToHaveTextAsync("shared token");
        var row = page.Locator("tr[data-name='revoke-box']");
        await Expect(row.Locator(".badge").First).ToHaveTextAsync("online");
        await Expect(row.Locator("[data-credential]")).ToHaveCountAsync(0); // its own credential needs no attention
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await row.Locator("[data-action=revoke]").ClickAsync();

        await Expect(row.Locator("[data-credential=revoked]")).ToHaveTextAsync("revoked");
        await Expect(row.Locator(".badge").First).ToHaveTextAsync("offline");
        await Expect(row.Locator("[data-action]")).ToHaveCountAsync(0);
        Assert.True(app.Agents.All.Single(n => n.Name == "revoke-box").Revoked);
        await agent.WaitForExitAsync(Timeouts.Long);
        Assert.Equal(2, agent.ExitCode);
        session.Passed();
    }

    [Fact]
    public async Task CronJobCreatedThroughTheForm_ListsItsNextRuns()
    {
        var app = await App("linters: {}\n");
        var session = await Open(app, "jobs-create");
        var page = session.Page;
        await session.SignInAsync();
        await page.GotoAsync("/#/jobs/new");

        await page.Locator("#job-name").FillAsync("nightly-browser");
        await page.Locator("#job-trigger-kind").SelectOptionAsync("Cron");
        await page.Locator("#job-trigger-cron").FillAsync("not a cron");
        await page.Locator("#job-repository").FillAsync("acme/app");
        await page.Locator("#job-steps").FillAsync("build: make");
        await page.Locator("#save-job").ClickAsync();
        await Expect(page.Locator("[data-error-for='trigger.cron']")).Not.ToBeEmptyAsync();

        await page.Locator("#job-trigger-cron").FillAsync("0 0 2 * * *");
        await page.Locator("#job-trigger-timeZone").FillAsync("Europe/Berlin");
        await page.Locator("#save-job").ClickAsync();
        // Polls the URL: WaitForURL waits for a load event, which a hash-only navigation may never fire.
        await Expect(page).ToHaveURLAsync(new Regex("#/jobs/nightly-browser$"));
        await Expect(page.Locator("#next-runs li")).ToHaveCountAsync(10);
        session.Passed();
    }

    [Fact]
    public async Task NarrowScreen_TablesBecomeCards()
    {
        var app = await App();
        var session = await Open(app, "narrow-tasks", width: 390, height: 844);
        var page = session.Page;
        await session.SignInAsync();
        var id = await Deliver(app);

        var row = page.Locator($"tr[data-task='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(page.Locator("table.tasks thead")).ToBeHiddenAsync();
        var box = await row.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.Width <= 390, $"the row is {box.Width} px wide on a 390 px screen");
        session.Passed();
    }

    [Fact]
    public async Task AnsiRenderer_EscapesHtml_AndKeepsColoursAcrossChunks()
    {
        var app = await App("linters: {}\n");
        var session = await Open(app, "ansi");
        await session.Page.GotoAsync("/");
        var html = await session.Page.EvaluateAsync<string>("""
            async () => {
              const { AnsiRenderer, ansiToHtml } = await import('/js/ansi.js');
              const r = new AnsiRenderer();
              const split = r.render('a \u001b[3') + '|' + r.render('2mgreen') + '|' + r.render(' still\u001b[0m end');
              return [ansiToHtml('\u001b[1;31m<b>x</b>\u001b[0m plain \u001b[38;5;196mc\u001b[0m \u001b[2K\u001b]0;title\u0007t'), split].join('\n');
            }
            """);
        Assert.Equal(
            "<span class=\"ansi-fg-1 ansi-bold\">&lt;b&gt;x&lt;/b&gt;</span> plain <span style=\"color:rgb(255,0,0)\">c</span> t\n" +
            "a |<span class=\"ansi-fg-2\">green</span>|<span class=\"ansi-fg-2\"> still</span> end",
            html);
        session.Passed();
    }
}
