using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using ReviewBot.Agent.Logs;
using ReviewBot.Tests.Agent.TestSupport;

namespace ReviewBot.Tests.Agent.Logs;

public class LogStreamerTests
{
    private readonly FakeAgentServer _server = new();

    private LogStreamer NewStreamer(LogStreamerOptions? options = null, SecretMasker? masker = null)
    {
        var streamer = new LogStreamer(_server, "node-1", "task-1", "lease-1", masker ?? SecretMasker.None, options ?? new LogStreamerOptions(), TimeProvider.System, NullLogger.Instance);
        streamer.Start();
        return streamer;
    }

    private void AssertNumberedFromZero()
    {
        var sequences = _server.Chunks.Select(c => c.Sequence).ToList();
        Assert.Equal(Enumerable.Range(0, sequences.Count).Select(i => (long)i), sequences);
        Assert.All(_server.Chunks, c => Assert.Equal(("node-1", "task-1", "lease-1"), (c.NodeId, c.TaskId, c.LeaseToken)));
    }

    [Fact]
    public async Task ChunksAreNumberedFromZeroInOrderAndCarryAllTheOutput()
    {
        var streamer = NewStreamer(new LogStreamerOptions { Interval = TimeSpan.FromMilliseconds(5) });
        var expected = new StringBuilder();
        for (var i = 0; i < 200; i++)
        {
            var line = $"line {i}\n";
            expected.Append(line);
            streamer.Write(line);
            if (i % 50 == 0)
            {
                await _server.WaitForAsync(s => s.Chunks.Count > i / 50);
            }
        }

        await streamer.CompleteAsync(CancellationToken.None).Within();

        Assert.True(_server.Chunks.Count >= 4);
        AssertNumberedFromZero();
        Assert.Equal(expected.ToString(), _server.LogText("task-1"));
    }

    [Fact]
    public async Task OutputIsSentWithinTheIntervalWithoutWaitingForTheEnd()
    {
        var streamer = NewStreamer();

        streamer.Write("first output\n");

        await _server.WaitForAsync(s => s.LogText("task-1") == "first output\n", TimeSpan.FromSeconds(5));
        await streamer.CompleteAsync(CancellationToken.None).Within();
    }

    [Fact]
    public async Task ChunksStayWithinTheSizeLimit()
    {
        var streamer = NewStreamer(new LogStreamerOptions { MaxChunkBytes = 1024 });
        var text = string.Concat(Enumerable.Repeat("é0123456789€\n", 1000));

        streamer.Write(text);
        await streamer.CompleteAsync(CancellationToken.None).Within();

        Assert.All(_server.Chunks, c => Assert.True(Encoding.UTF8.GetByteCount(c.Text) <= 1024));
        Assert.Equal(text, _server.LogText("task-1"));
        AssertNumberedFromZero();
    }

    [Fact]
    public void SplitNeverCutsASurrogatePair()
    {
        var text = string.Concat(Enumerable.Repeat("a😀", 10));

        var pieces = LogStreamer.Split(text, 5);

        Assert.Equal(text, string.Concat(pieces));
        Assert.All(pieces, p => Assert.True(Encoding.UTF8.GetByteCount(p) <= 5 && !char.IsHighSurrogate(p[^1])));
    }

    [Fact]
    public async Task ASecretSplitAcrossWritesIsStillMasked()
    {
        var streamer = NewStreamer(masker: new SecretMasker(["s3cr3t-t0ken"]));

        // The tail that could start the secret is held back; what comes before goes out at once.
        streamer.Write("some output first, then the token: s3cr");
        await _server.WaitForAsync(s => s.Chunks.Count >= 1);
        streamer.Write("3t-t0ken done\n");
        await streamer.CompleteAsync(CancellationToken.None).Within();

        Assert.Equal("some output first, then the token: *** done\n", _server.LogText("task-1"));
        Assert.DoesNotContain(_server.Chunks, c => c.Text.Contains("s3cr", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OutputThatCannotBeginASecretIsNotHeldBack()
    {
        var streamer = NewStreamer(masker: new SecretMasker(["s3cr3t-t0ken"]));

        // A step that prints a line and then sleeps: its line must show while it sleeps, not at its end.
        streamer.Write("step-started\n");

        await _server.WaitForAsync(s => s.LogText("task-1") == "step-started\n", TimeSpan.FromSeconds(5));
        await streamer.CompleteAsync(CancellationToken.None).Within();
    }

    [Fact]
    public async Task ASecretSplitAcrossChunksOfAProcessIsMaskedWhicheverCharacterItIsCutAt()
    {
        const string secret = "s3cr3t-t0ken";
        for (var cut = 1; cut < secret.Length; cut++)
        {
            var server = new FakeAgentServer();
            var streamer = new LogStreamer(server, "node-1", "task-1", "lease-1", new SecretMasker([secret]),
                new LogStreamerOptions { Interval = TimeSpan.FromMilliseconds(1) }, TimeProvider.System, NullLogger.Instance);
            streamer.Start();

            streamer.Write($"some output before {secret[..cut]}");
            await server.WaitForAsync(s => s.Chunks.Count >= 1);
            streamer.Write($"{secret[cut..]} after\n");
            await streamer.CompleteAsync(CancellationToken.None).Within();

            // The chunks are pieces of this text, so none of them holds any part of the secret.
            Assert.Equal("some output before *** after\n", server.LogText("task-1"));
            Assert.True(server.Chunks.Count >= 2, $"cut {cut}: the output went out in one chunk");
        }
    }

    [Fact]
    public async Task DroppingOldOutputNeverLeavesTheRestOfASecret()
    {
        _server.Connected = false;
        var streamer = NewStreamer(new LogStreamerOptions { MaxPendingChars = 20 }, new SecretMasker(["s3cr3t-t0ken"]));

        // 30 characters: keeping the last 20 would cut the secret after "s3cr3" and send "t-t0ken".
        streamer.Write("AAAA s3cr3t-t0ken BBBBBBBBBBBB");
        _server.Connected = true;
        await streamer.CompleteAsync(CancellationToken.None).Within();

        var text = _server.LogText("task-1");
        Assert.Contains("characters of output dropped", text);
        Assert.DoesNotContain("t0ken", text);
        // The 10 characters over the limit are dropped, and 11 more (the longest secret − 1) that could hold its rest.
        Assert.EndsWith("keep up.\nBBBBBBBBB", text);
    }

    [Fact]
    public async Task AFailedChunkIsResentWithTheSameNumber()
    {
        _server.FailAppendLogs(2);
        var streamer = NewStreamer();

        streamer.Write("hello\n");
        await streamer.CompleteAsync(CancellationToken.None).Within();

        Assert.Equal(3, _server.AppendLogCalls);
        var chunk = Assert.Single(_server.Chunks);
        Assert.Equal((0L, "hello\n"), (chunk.Sequence, chunk.Text));
    }

    [Fact]
    public async Task OutputWaitsForTheConnectionToComeBack()
    {
        _server.Connected = false;
        var streamer = NewStreamer();

        streamer.Write("while offline\n");
        var completion = streamer.CompleteAsync(CancellationToken.None);
        await _server.WaitForAsync(s => s.AppendLogCalls >= 1);
        _server.Connected = true;
        await completion.Within();

        var chunk = Assert.Single(_server.Chunks);
        Assert.Equal((0L, "while offline\n"), (chunk.Sequence, chunk.Text));
    }

    [Fact]
    public async Task PendingOutputIsBoundedAndTheDropIsAnnounced()
    {
        _server.Connected = false;
        var streamer = NewStreamer(new LogStreamerOptions { MaxPendingChars = 100 });

        for (var i = 0; i < 10; i++)
        {
            streamer.Write(new string((char)('a' + i), 100));
        }

        _server.Connected = true;
        await streamer.CompleteAsync(CancellationToken.None).Within();

        var text = _server.LogText("task-1");
        Assert.Contains("characters of output dropped", text);
        Assert.EndsWith(new string('j', 100), text);
        Assert.DoesNotContain("aaaa", text);
    }

    [Fact]
    public async Task StreamingStopsAfterRepeatedFailuresWhileConnected()
    {
        _server.FailAppendLogs(100);
        var streamer = NewStreamer(new LogStreamerOptions { MaxAttemptsPerChunk = 2 });

        streamer.Write("never delivered\n");
        await streamer.CompleteAsync(CancellationToken.None).Within();

        Assert.Empty(_server.Chunks);
        Assert.Equal(2, _server.AppendLogCalls);
    }

    [Fact]
    public async Task CompletionGivesUpAtTheCallersDeadline()
    {
        _server.Connected = false;
        var streamer = NewStreamer();
        streamer.Write("lost\n");
        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

        await streamer.CompleteAsync(deadline.Token).Within(TimeSpan.FromSeconds(10));

        Assert.Empty(_server.Chunks);
    }
}
