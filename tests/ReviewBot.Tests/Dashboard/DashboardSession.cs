using Microsoft.Playwright;
using ReviewBot.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace ReviewBot.Tests.Dashboard;

/// <summary>A browser page on a test app's dashboard, with bounded waits and a screenshot on the way out.</summary>
public sealed class DashboardSession : IAsyncDisposable
{
    private readonly IBrowserContext _context;
    private readonly string _name;
    private bool _passed;

    private DashboardSession(IBrowserContext context, IPage page, string name)
    {
        _context = context;
        Page = page;
        _name = name;
    }

    public IPage Page { get; }

    /// <summary>Every wait of a browser test is bounded by this.</summary>
    public const float WaitMs = 30_000;

    public static async Task<DashboardSession> OpenAsync(BrowserFixture browser, TestApp app, string name, int width = 1280, int height = 860)
    {
        var context = await browser.Browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = height }, BaseURL = app.Url });
        context.SetDefaultTimeout(WaitMs);
        context.SetDefaultNavigationTimeout(WaitMs);
        SetDefaultExpectTimeout(WaitMs);
        var page = await context.NewPageAsync();
        return new DashboardSession(context, page, name);
    }

    /// <summary>Opens the dashboard and enters the key in its prompt.</summary>
    public async Task SignInAsync(string key = TestApp.AdminKey)
    {
        await Page.GotoAsync("/");
        await Page.Locator("#api-key").FillAsync(key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Open the dashboard" }).ClickAsync();
        await Expect(Page.Locator("#signout")).ToBeVisibleAsync();
    }

    public async Task ScreenshotAsync(string suffix = "") =>
        await Page.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ArtifactsDir, $"{_name}{suffix}.png"), FullPage = true });

    /// <summary>Marks the test passed (the final screenshot is kept either way; a failing one is named so).</summary>
    public void Passed() => _passed = true;

    public async ValueTask DisposeAsync()
    {
        try { await ScreenshotAsync(_passed ? "" : "-failed"); } catch (PlaywrightException) { /* the page is gone */ }
        await _context.DisposeAsync();
    }
}
