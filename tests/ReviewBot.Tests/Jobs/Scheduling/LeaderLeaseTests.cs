using System.ComponentModel.DataAnnotations;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Time.Testing;
using ReviewBot.Functions.Jobs.Scheduling;
using ReviewBot.Functions.Storage;
using ReviewBot.Tests.Infrastructure;
using static ReviewBot.Tests.Jobs.Scheduling.SchedulerRig;

namespace ReviewBot.Tests.Jobs.Scheduling;

[Collection(AzuriteCollection.Name)]
public sealed class LeaderLeaseTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(Start);
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await StartAppAsync(azurite, new InMemoryJobCatalog());

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private BlobLeaseClient Breaker() =>
        _app.Services.GetRequiredService<StorageAccount>().SchedulerBlobs.GetBlobClient("leader").GetBlobLeaseClient();

    [Fact]
    public async Task OneInstanceLeads_TheOtherIsRefused_UntilTheLeaderReleases()
    {
        var a = Lease(_app, _time);
        var b = Lease(_app, _time);

        Assert.True(await a.MaintainAsync(CancellationToken.None)); // creates the blob on first use
        Assert.False(await b.MaintainAsync(CancellationToken.None));

        await a.DisposeAsync(); // releases
        Assert.False(a.IsLeader);
        _time.Advance(Options().RenewInterval); // b's next attempt is due
        Assert.True(await b.MaintainAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WithoutARenewal_LeadershipEndsAtTheDeadline_BeforeTheLeaseCouldHaveExpired()
    {
        var a = Lease(_app, _time);
        Assert.True(await a.MaintainAsync(CancellationToken.None));

        _time.Advance(TimeSpan.FromSeconds(25) - TimeSpan.FromTicks(1)); // 30 s lease − 5 s margin
        Assert.True(a.IsLeader);
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.False(a.IsLeader); // no storage call needed to know

        Assert.True(await a.MaintainAsync(CancellationToken.None)); // nobody took it: renewing works again
    }

    [Fact]
    public async Task ARenewalThatFails_EndsLeadershipAtOnce()
    {
        var a = Lease(_app, _time);
        var changes = new List<bool>();
        a.LeadershipChanged += changes.Add;
        Assert.True(await a.MaintainAsync(CancellationToken.None));

        await Breaker().BreakAsync(TimeSpan.Zero);      // as if the lease had expired
        var b = Lease(_app, _time);
        Assert.True(await b.MaintainAsync(CancellationToken.None)); // someone else leads now
        _time.Advance(Options().RenewInterval);

        Assert.True(a.IsLeader);                                     // a does not know yet …
        Assert.False(await a.MaintainAsync(CancellationToken.None)); // … its renewal is refused
        Assert.False(a.IsLeader);
        Assert.Equal([true, false], changes);
    }

    [Fact]
    public async Task RenewalsKeepLeadershipAcrossManyDurations()
    {
        var a = Lease(_app, _time);
        var b = Lease(_app, _time);
        for (var i = 0; i < 12; i++)
        {
            Assert.True(await a.MaintainAsync(CancellationToken.None));
            Assert.False(await b.MaintainAsync(CancellationToken.None));
            _time.Advance(Options().RenewInterval);
        }
    }

    [Theory]
    [InlineData(30, 15, 5, 60, "RenewInterval")]   // not below half the duration
    [InlineData(10, 3, 1, 60, "LeaseDuration")]    // Azure's minimum is 15 s
    [InlineData(30, 10, 5, 30, "MisfireGrace")]    // a failover would count on-time ticks as missed
    [InlineData(30, 10, 25, 60, "LeaseSafetyMargin")]
    public void BadOptions_AreRefused(int lease, int renew, int margin, int grace, string member)
    {
        var o = new SchedulerOptions
        {
            LeaseDuration = TimeSpan.FromSeconds(lease),
            RenewInterval = TimeSpan.FromSeconds(renew),
            LeaseSafetyMargin = TimeSpan.FromSeconds(margin),
            MisfireGrace = TimeSpan.FromSeconds(grace),
        };
        var errors = o.Validate(new ValidationContext(o)).ToList();
        Assert.Contains(errors, e => e.MemberNames.Contains(member));
        Assert.Empty(new SchedulerOptions().Validate(new ValidationContext(o)));
    }
}
