using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using ReviewBot.Functions.Logs;
using ReviewBot.Functions.Storage;
using ReviewBot.Tests.Infrastructure;

namespace ReviewBot.Tests.Logs;

/// <summary>Chunks sent by hand over the agent hub, stored in the task's append blob and served by GET /api/tasks/{id}/log.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LogStorageTests(AzuriteFixture azurite) : LogTestBase(azurite)
{
    private BlobContainerClient Container => App.Services.GetRequiredService<StorageAccount>().Logs;

    [Fact]
    public async Task StoredLogIsTheChunksInOrder_WithResentAndDuplicateChunksStoredOnce()
    {
        var task = await HoldTaskAsync();

        await task.SendAsync(0, "cloning with token ***\n");
        await task.SendAsync(1, "line 2\n");
        await task.SendAsync(0, "cloning with token ***\n"); // resent after a reconnect
        await task.SendAsync(1, "line 2\n");
        await task.SendAsync(2, "a line cut in ");
        await task.SendAsync(3, "two, secret *** masked\n");
        await task.SendAsync(3, "two, secret *** masked\n");
        var gap = await Assert.ThrowsAsync<HubException>(() => task.SendAsync(5, "too early\n"));

        Assert.Contains("chunk 5", gap.Message);
        Assert.Contains("out of order", gap.Message);
        Assert.Equal("cloning with token ***\nline 2\na line cut in two, secret *** masked\n", await task.LogAsync());
        Assert.True(await Container.GetBlobClient(LogStore.RunningName(task.Id)).ExistsAsync());
    }

    [Fact]
    public async Task ChunksUnderAnotherLease_AreNotStored()
    {
        var task = await HoldTaskAsync();
        await task.SendAsync(0, "mine\n");

        await task.Agent.Hub.InvokeAsync(nameof(ReviewBot.Contracts.Agents.IAgentHub.AppendLog),
            new ReviewBot.Contracts.Agents.LogChunk(task.Agent.NodeId, task.Id, "not-the-lease", 1, "forged\n")).WaitAsync(Timeouts.Short);

        Assert.Equal("mine\n", await task.LogAsync());
    }

    [Fact]
    public async Task TailAndRange_WhileTheTaskRuns()
    {
        var task = await HoldTaskAsync();
        var lines = Enumerable.Range(1, 20).Select(i => $"line {i:00}\n").ToList();
        for (var i = 0; i < 4; i++) await task.SendAsync(i, string.Concat(lines.Skip(i * 5).Take(5)));
        var full = string.Concat(lines);
        var length = Encoding.UTF8.GetByteCount(full);

        Assert.Equal(string.Concat(lines.TakeLast(5)), await task.App.Http.GetStringAsync($"/api/tasks/{task.Id}/log?tail=5"));
        Assert.Equal(full, await task.App.Http.GetStringAsync($"/api/tasks/{task.Id}/log?tail=10000"));
        foreach (var bad in new[] { "0", "10001", "abc", "-1" })
        {
            var refused = await task.App.Http.GetAsync($"/api/tasks/{task.Id}/log?tail={bad}");
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        var first = await GetRangeAsync(task.Id, "bytes=0-6");
        Assert.Equal(HttpStatusCode.PartialContent, first.StatusCode);
        Assert.Equal("line 01", await first.Content.ReadAsStringAsync());
        Assert.Equal($"bytes 0-6/{length}", first.Content.Headers.ContentRange?.ToString());
        var last = await GetRangeAsync(task.Id, "bytes=-8");
        Assert.Equal(HttpStatusCode.PartialContent, last.StatusCode);
        Assert.Equal("line 20\n", await last.Content.ReadAsStringAsync());
        var open = await GetRangeAsync(task.Id, $"bytes={length - 3}-");
        Assert.Equal("20\n", await open.Content.ReadAsStringAsync());
        var beyond = await GetRangeAsync(task.Id, $"bytes={length}-");
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, beyond.StatusCode);
        Assert.Equal($"bytes */{length}", beyond.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task UnknownTaskIs404_AndATaskWithoutOutputIsEmpty()
    {
        var task = await HoldTaskAsync();

        var unknown = await App.Http.GetAsync("/api/tasks/no-such-task/log");
        var empty = await App.Http.GetAsync($"/api/tasks/{task.Id}/log");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Equal("", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AfterCompletion_TheLogIsOneGzipBlob_ServedCompressedOrPlain()
    {
        var task = await HoldTaskAsync();
        var full = string.Concat(Enumerable.Range(1, 2000).Select(i => $"output line {i}\n"));
        await task.SendAsync(0, full[..20_000]);
        await task.SendAsync(1, full[20_000..]);

        await task.CompleteAndArchiveAsync();

        Assert.False(await Container.GetBlobClient(LogStore.RunningName(task.Id)).ExistsAsync());
        var gz = await Container.GetBlobClient(LogStore.ArchivedName(task.Id)).GetPropertiesAsync();
        Assert.Equal("gzip", gz.Value.ContentEncoding);
        Assert.Equal("text/plain; charset=utf-8", gz.Value.ContentType);
        Assert.True(gz.Value.ContentLength < full.Length / 3, $"compressed {gz.Value.ContentLength} bytes of {full.Length}");

        using var zipped = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{task.Id}/log");
        zipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var compressed = await App.Http.SendAsync(zipped);
        Assert.Equal(["gzip"], compressed.Content.Headers.ContentEncoding);
        await using (var inflate = new GZipStream(await compressed.Content.ReadAsStreamAsync(), CompressionMode.Decompress))
            Assert.Equal(full, await new StreamReader(inflate).ReadToEndAsync());

        var plain = await App.Http.GetAsync($"/api/tasks/{task.Id}/log");
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal(full, await plain.Content.ReadAsStringAsync());
        Assert.Equal("output line 1999\noutput line 2000\n", await App.Http.GetStringAsync($"/api/tasks/{task.Id}/log?tail=2"));
        var range = await GetRangeAsync(task.Id, "bytes=12-24");
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(full[12..25], await range.Content.ReadAsStringAsync());
        Assert.Equal($"bytes 12-24/{full.Length}", range.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task LateChunksAfterTheArchive_ChangeNothing()
    {
        var task = await HoldTaskAsync();
        await task.SendAsync(0, "done\n");
        await task.CompleteAndArchiveAsync();

        await task.SendAsync(1, "late\n"); // the lease is released: dropped

        Assert.Equal("done\n", await task.LogAsync());
        Assert.False(await Container.GetBlobClient(LogStore.RunningName(task.Id)).ExistsAsync());
    }

    [Fact]
    public async Task ATaskGivenToAnotherAgent_ContinuesAfterAMarkerLine()
    {
        var first = await HoldTaskAsync("node-old");
        await first.SendAsync(0, "from the first agent, no newline at the end");
        await first.Agent.Hub.StopAsync(); // gone: after the grace the task is queued again

        var second = Own(await ContractClient.ConnectAsync(App, "node-new", "linux"));
        var again = await second.NextAssignmentAsync();
        Assert.True((await second.AcceptAsync(again)).Accepted);
        var task = new HeldTask(App, second, again);
        await task.SendAsync(0, "from the second\n");

        Assert.Equal("from the first agent, no newline at the end\n--- attempt 2 on node-new ---\nfrom the second\n", await task.LogAsync());
    }

    private async Task<HttpResponseMessage> GetRangeAsync(string id, string range)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tasks/{id}/log");
        request.Headers.TryAddWithoutValidation("Range", range);
        return await App.Http.SendAsync(request);
    }
}

/// <summary>The per-task cap: output beyond it is acknowledged, not stored, and one notice says so.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LogCapTests(AzuriteFixture azurite) : LogTestBase(azurite)
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["ReviewBot:Logs:MaxBytesPerTask"] = "1024" };

    [Fact]
    public async Task OutputBeyondTheCap_IsReplacedByOneNotice()
    {
        var task = await HoldTaskAsync();
        var chunk = new string('x', 199) + "\n";

        for (var i = 0; i < 10; i++) await task.SendAsync(i, chunk);

        var log = await task.LogAsync();
        Assert.True(Encoding.UTF8.GetByteCount(log) <= 1024, $"{log.Length} bytes stored");
        Assert.StartsWith(chunk + chunk + chunk + chunk, log);
        Assert.Single(log.Split('\n'), l => l.Contains("log truncated"));
        Assert.EndsWith("later output is not stored.\n", log);
    }
}
