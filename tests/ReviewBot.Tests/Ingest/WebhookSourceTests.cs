using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReviewBot.Functions.Ingest;

namespace ReviewBot.Tests.Ingest;

/// <summary>The clone URL rules every code host shares: https or ssh on the host, local paths only under the demo
/// setting. Each host's own rules (which host, which names) are tested with the host (CodeHosts/*/Webhooks).</summary>
public class WebhookSourceTests
{
    private static readonly CloneHost Host = new("git.example.com", 443, "ReviewBot:Example:Url");

    private static WebhookSource Source(bool allowLocal = false) => new(Options.Create(new WebhookSourceOptions { AllowLocalCloneUrls = allowLocal }));

    [Theory]
    [InlineData("https://git.example.com/o/r.git", true)]
    [InlineData("ssh://git@git.example.com:2222/o/r.git", true)]
    [InlineData("git@git.example.com:o/r.git", true)]
    [InlineData("https://git.example.com:8443/o/r.git", false)]
    [InlineData("http://git.example.com/o/r.git", false)]
    [InlineData("https://git.example.com.evil.example/o/r.git", false)]
    [InlineData("https://git.example.com@evil.example/o/r.git", false)]
    public void ACloneUrl_MustBeHttpsOnTheHostsPortOrSshOnTheHost(string cloneUrl, bool accepted)
    {
        var check = () => Source().CloneUrl(cloneUrl, "clone_url", Host);

        if (accepted) Assert.False(check());
        else Assert.Equal("clone_url", Assert.Throws<WebhookPayloadException>(() => check()).Field);
    }

    [Theory]
    [InlineData("/srv/repos/app.git")]
    [InlineData("file:///srv/repos/app.git")]
    public void ALocalCloneUrl_IsRefusedByDefault_AndMarkedAllowLocalUnderTheDemoSetting(string cloneUrl)
    {
        var refused = Assert.Throws<WebhookPayloadException>(() => Source().CloneUrl(cloneUrl, "clone_url", Host));
        Assert.Contains("AllowLocalCloneUrls", refused.Message);

        Assert.True(Source(allowLocal: true).CloneUrl(cloneUrl, "clone_url", Host));
    }

    [Fact]
    public void TheDemoSetting_AllowsLocalPathsOnly_NotOtherHosts()
    {
        var e = Assert.Throws<WebhookPayloadException>(() => Source(allowLocal: true).CloneUrl("http://127.0.0.1:21199/x.git", "clone_url", Host));

        Assert.Equal("clone_url", e.Field);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TheDemoSetting_IsWarnedAboutAtStart_OnlyWhenOn(bool on)
    {
        var logger = new Capture();
        var warning = new WebhookSourceStartupWarning(Options.Create(new WebhookSourceOptions { AllowLocalCloneUrls = on }), logger);

        await warning.StartAsync(CancellationToken.None);

        if (on) Assert.Contains(logger.Entries, e => e.Level == LogLevel.Warning && e.Text.Contains("ReviewBot:Webhooks:AllowLocalCloneUrls is on"));
        else Assert.Empty(logger.Entries);
    }

    private sealed class Capture : ILogger<WebhookSource>
    {
        public List<(LogLevel Level, string Text)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}
