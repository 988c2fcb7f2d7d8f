using Microsoft.Extensions.Time.Testing;
using ReviewBot.Core.Jobs;
using ReviewBot.Functions.Jobs;
using ReviewBot.Tests.Infrastructure;
using ReviewBot.Testing.FakeGitHub;
using static ReviewBot.Tests.Jobs.Scheduling.SchedulerRig;

namespace ReviewBot.Tests.Jobs.Scheduling;

/// <summary>Poll triggers against the fake GitHub: the branch head is read once per poll interval, and a new head
/// fires the job once on that commit.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BranchPollerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Sha1 = "1111111111111111111111111111111111111111";
    private const string Sha2 = "2222222222222222222222222222222222222222";
    private readonly InMemoryJobCatalog _catalog = new();
    private readonly FakeTimeProvider _time = new(Start);
    private FakeGitHubServer _github = null!;
    private TestApp _app = null!;
    private string? _keyPath;

    public async Task InitializeAsync() => _github = await FakeGitHubServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
        await _github.DisposeAsync();
        if (_keyPath is not null) File.Delete(_keyPath);
    }

    private async Task StartAppAsync(bool asApp)
    {
        var settings = new Dictionary<string, string?>(Settings) { ["ReviewBot:GitHub:ApiUrl"] = _github.ApiUrl.ToString() };
        if (asApp)
        {
            _keyPath = Path.Combine(Path.GetTempPath(), $"reviewbot-app-{Guid.NewGuid():N}.pem");
            await File.WriteAllTextAsync(_keyPath, _github.PrivateKeyPem);
            settings["ReviewBot:GitHub:AppId"] = _github.AppId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            settings["ReviewBot:GitHub:PrivateKeyPath"] = _keyPath;
        }
        else
        {
            _github.PersonalAccessToken = "ghp_polltoken";
            settings["ReviewBot:GitHub:Token"] = "ghp_polltoken";
        }
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, settings, configure: b => b.Services.AddSingleton<IJobCatalog>(_catalog));
    }

    private void PollJob(string branch = "main") => _catalog.Set(new JobDefinition
    {
        Name = "nightly-ish",
        Repository = "Codertocat/Hello-World",
        Trigger = new JobTrigger(JobTriggerKind.Poll, Branch: branch),
        Steps = [new ReviewBot.Contracts.Agents.JobStep("run", "echo run")],
    });

    private int BranchReads => _github.Requests.Count(r => r.Path.Contains("/branches/", StringComparison.Ordinal));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ANewHead_FiresOnceOnThatCommit_AndTheBranchIsReadOncePerInterval(bool asApp)
    {
        await StartAppAsync(asApp);
        _github.SetRepositoryInstallation("Codertocat", "Hello-World", 77);
        _github.SetBranchHead("Codertocat", "Hello-World", "main", Sha1);
        PollJob();
        var s = Create(_app, _catalog, _time);

        var first = await s.TickAsync(_time.GetUtcNow(), CancellationToken.None); // first head seen: recorded, not fired
        _github.SetBranchHead("Codertocat", "Hello-World", "main", Sha2);
        _time.Advance(TimeSpan.FromSeconds(30));
        var early = await s.TickAsync(_time.GetUtcNow(), CancellationToken.None); // not yet a minute: no read
        _time.Advance(TimeSpan.FromSeconds(30));
        var changed = await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(1));
        var same = await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        Assert.Empty(first.Fired);
        Assert.Empty(early.Fired);
        Assert.Empty(same.Fired);
        var fired = Assert.Single(changed.Fired);
        Assert.Equal(LaunchOutcome.Created, fired.Launch.Outcome);
        Assert.Equal(ReviewBot.Core.Tasks.TaskIds.ForJob("nightly-ish", "poll:" + Sha2), fired.Launch.TaskId);
        var task = Assert.Single(await TasksOf(_app, "nightly-ish"));
        Assert.Equal(Sha2, task.HeadSha);
        Assert.Equal("main", task.HeadRef);
        Assert.Equal(3, BranchReads);
        if (asApp) Assert.Contains(_github.Requests, r => r.Path.EndsWith("/repos/Codertocat/Hello-World/installation", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMissingBranch_IsLogged_AndOtherTicksGoOn()
    {
        await StartAppAsync(asApp: false);
        PollJob("no-such-branch");
        _catalog.Set(CronJob("cron", "*/10 * * * * *"));
        var s = Create(_app, _catalog, _time);

        await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(10));
        var report = await s.TickAsync(_time.GetUtcNow(), CancellationToken.None);

        Assert.Single(report.Fired);
        Assert.Empty(await TasksOf(_app, "nightly-ish"));
    }
}
