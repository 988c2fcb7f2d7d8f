using ReviewBot.Functions.Configuration;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Retention;

/// <summary>Retention on Azurite forgets posted reviewbot/config checks claimed more than TaskAge ago, and only those.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RetentionConfigCheckTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task ChecksClaimedBeforeTheTaskAge_AreForgotten_YoungerOnesKept()
    {
        var rig = await RetentionRig.CreateAsync(azurite);
        var ct = CancellationToken.None;
        IReadOnlyList<ConfigError> errors = [new(".reviewbot.yml", 1, 1, "refused")];
        var sha = new string('a', 40);
        await rig.ConfigChecks.MarkPostedAsync((await rig.ConfigChecks.TryClaimAsync("owner/old", sha, errors, ct))!, ct);
        rig.Time.Advance(TimeSpan.FromDays(80));
        await rig.ConfigChecks.MarkPostedAsync((await rig.ConfigChecks.TryClaimAsync("group/sub/young", sha, errors, ct))!, ct);
        rig.Time.Advance(TimeSpan.FromDays(11));

        using var cts = new CancellationTokenSource(Timeouts.Long);
        var report = await rig.NewService().RunAsync(cts.Token);

        Assert.Equal(1, report.ConfigChecks);
        Assert.NotNull(await rig.ConfigChecks.TryClaimAsync("owner/old", sha, errors, ct));
        Assert.Null(await rig.ConfigChecks.TryClaimAsync("group/sub/young", sha, errors, ct));
    }
}
