using Microsoft.Playwright;

namespace ReviewBot.Tests.Dashboard;

/// <summary>
/// One headless Chromium per test class: Debian's <c>/usr/bin/chromium</c> (scripts/setup.sh installs it), driven by
/// Playwright's .NET driver (shipped in the NuGet package; nothing is downloaded at run time).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots of the browser tests: bin/&lt;configuration&gt;/net10.0/artifacts/dashboard/.</summary>
    public static string ArtifactsDir { get; } = Path.Combine(AppContext.BaseDirectory, "artifacts", "dashboard");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
            throw new InvalidOperationException($"{ChromiumPath} is missing: run ./scripts/setup.sh (it installs Debian's chromium).");
        Directory.CreateDirectory(ArtifactsDir);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
            Timeout = 60_000,
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
