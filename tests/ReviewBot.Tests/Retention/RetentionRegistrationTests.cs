using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Retention;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Retention;

/// <summary>The app's retention: `ReviewBot:Retention:*` is bound and validated at start, and the service the timer runs
/// works on the app's own stores.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetentionRegistrationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task TheAppsRetentionDeletesWithTheConfiguredAge()
    {
        var time = new FakeTimeProvider(RetentionRig.Start);
        await using var app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux,
            new Dictionary<string, string?> { ["ReviewBot:Retention:TaskAge"] = "2.00:00:00" }, time: time);
        var now = time.GetUtcNow();
        await app.Tasks.TryCreateAsync(RetentionRig.Task("three-days", now - TimeSpan.FromDays(3), TaskState.Succeeded), CancellationToken.None);
        await app.Tasks.TryCreateAsync(RetentionRig.Task("one-day", now - TimeSpan.FromDays(1), TaskState.Succeeded), CancellationToken.None);
        using var cts = new CancellationTokenSource(Timeouts.Long);

        var report = await app.Services.GetRequiredService<RetentionService>().RunAsync(cts.Token);

        Assert.Equal(1, report.Tasks);
        Assert.Null(await app.Tasks.GetAsync("three-days", CancellationToken.None));
        Assert.NotNull(await app.Tasks.GetAsync("one-day", CancellationToken.None));
    }

    [Fact]
    public async Task AnAgeOfZero_StopsTheAppAtStart_NamingTheSetting()
    {
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux,
            new Dictionary<string, string?> { ["ReviewBot:Retention:TaskAge"] = "00:00:00" }));
        Assert.Contains("TaskAge", e.Message);
    }
}
