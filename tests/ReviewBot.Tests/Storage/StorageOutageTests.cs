using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReviewBot.Functions.Ingest;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Storage;

/// <summary>
/// Storage that stops answering (connections refused and reset, as when Azurite or Table Storage drops them) while a
/// webhook is handled: the delivery is answered 503 problem+json with Retry-After, not a 500, and nothing marks it
/// done, so the same delivery sent again once storage is back creates its task, and a third time is a duplicate.
/// The app reaches the tables through a <see cref="TcpSwitch"/> that is pointed at a closed port and back.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class StorageOutageTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TcpSwitch _tables = null!;
    private int _tablePort;
    private TestApp _app = null!;
    private GitRepo _repo = null!;

    public async Task InitializeAsync()
    {
        var match = TableEndpoint().Match(azurite.ConnectionString);
        Assert.True(match.Success, "Azurite's connection string names a table endpoint");
        _tablePort = int.Parse(match.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
        _tables = new TcpSwitch(_tablePort);
        var through = TableEndpoint().Replace(azurite.ConnectionString, $"TableEndpoint={_tables.Url}/");
        _app = await TestApp.StartAsync(azurite, Configs.ShellcheckOnLinux, new Dictionary<string, string?> { ["ReviewBot:Storage:ConnectionString"] = through });
        _repo = GitRepo.Create(new Dictionary<string, string> { ["a.sh"] = "echo ok\n" }, new Dictionary<string, string?> { ["a.sh"] = "echo $1\n" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _tables.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task A_delivery_during_a_storage_outage_is_answered_503_with_retry_after_and_its_redelivery_creates_the_task()
    {
        var delivery = Guid.NewGuid().ToString();
        var body = Deliveries.PullRequest(_repo);

        _tables.SwitchTo(FreePort.Next()); // nothing listens there: every table request is refused or reset
        using (var during = await _app.PostDeliveryAsync("pull_request", body, delivery).WaitAsync(Timeouts.Long))
        {
            var text = await during.Content.ReadAsStringAsync();
            Assert.True(during.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)during.StatusCode}: {text}");
            Assert.Equal("application/problem+json", during.Content.Headers.ContentType?.MediaType);
            Assert.Equal(TimeSpan.FromSeconds(10), during.Headers.RetryAfter?.Delta);
            Assert.Equal("Storage unavailable", JsonDocument.Parse(text).RootElement.GetProperty("title").GetString());
        }

        _tables.SwitchTo(_tablePort);
        Assert.False(await _app.Services.GetRequiredService<DeliveryStore>().ExistsAsync("github", delivery, CancellationToken.None),
            "the delivery is not recorded as done");
        using (var again = await _app.PostDeliveryAsync("pull_request", body, delivery))
        {
            var text = await again.Content.ReadAsStringAsync();
            Assert.True(again.StatusCode == HttpStatusCode.Accepted, $"{(int)again.StatusCode}: {text}");
            var taskId = JsonDocument.Parse(text).RootElement.GetProperty("tasks")[0].GetString()!;
            Assert.NotNull(await _app.Tasks.GetAsync(taskId, CancellationToken.None));
        }
        using var third = await _app.PostDeliveryAsync("pull_request", body, delivery);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
        Assert.Contains("duplicate", await third.Content.ReadAsStringAsync());
    }

    [GeneratedRegex(@"TableEndpoint=http://127\.0\.0\.1:(?<port>\d+)/")]
    private static partial Regex TableEndpoint();
}
