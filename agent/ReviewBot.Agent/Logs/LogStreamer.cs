using System.Text;
using Microsoft.Extensions.Logging;
using ReviewBot.Agent.Connection;
using ReviewBot.Contracts.Agents;

namespace ReviewBot.Agent.Logs;

/// <summary>
/// Streams one task's console output to the server as <see cref="LogChunk"/>s numbered from 0:
/// a chunk every <see cref="LogStreamerOptions.Interval"/> or <see cref="LogStreamerOptions.MaxChunkBytes"/>,
/// whichever comes first. Secrets are masked before text is cut into chunks; an end of the text
/// that begins a secret (at most <c>longest secret − 1</c> characters) is held back until more
/// output (or the end) shows whether the secret follows, so a secret split across writes is still masked. One chunk is in flight at a time and a failed chunk is resent with
/// the same number once the connection is back, so numbers have no gaps.
/// <see cref="Write"/> is thread-safe; it never blocks on the network.
/// </summary>
internal sealed partial class LogStreamer
{
    private readonly IAgentServer _server;
    private readonly string _nodeId;
    private readonly string _taskId;
    private readonly string _leaseToken;
    private readonly SecretMasker _masker;
    private readonly LogStreamerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    private readonly Lock _lock = new();
    private readonly StringBuilder _pending = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private long _droppedChars;
    private long _totalChars;
    private bool _capped;
    private bool _completing;
    private bool _broken;
    private long _nextSequence;
    private Task? _pump;

    public LogStreamer(
        IAgentServer server,
        string nodeId,
        string taskId,
        string leaseToken,
        SecretMasker masker,
        LogStreamerOptions options,
        TimeProvider time,
        ILogger logger)
    {
        _server = server;
        _nodeId = nodeId;
        _taskId = taskId;
        _leaseToken = leaseToken;
        _masker = masker;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public void Start() => _pump ??= Task.Run(PumpAsync);

    /// <summary>Queues console output. Cheap; drops the oldest pending text when the server cannot keep up.</summary>
    public void Write(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        bool wake;
        lock (_lock)
        {
            if (_completing || _broken)
            {
                return;
            }

            if (_totalChars + text.Length > _options.MaxTotalChars)
            {
                if (!_capped)
                {
                    _capped = true;
                    _pending.Append($"\n[reviewbot-agent] log limit of {_options.MaxTotalChars} characters reached; the rest of the output is not streamed.\n");
                }

                return;
            }

            _totalChars += text.Length;
            _pending.Append(text);
            var excess = _pending.Length - _options.MaxPendingChars;
            if (excess > 0)
            {
                // The cut may fall inside a secret (pending text is not masked yet): drop what could be its rest too.
                excess = Math.Min(_pending.Length, excess + Math.Max(0, _masker.LongestSecret - 1));
                _pending.Remove(0, excess);
                _droppedChars += excess;
            }

            wake = _pending.Length >= _options.MaxChunkBytes;
        }

        if (wake)
        {
            _wake.Release();
        }
    }

    /// <summary>
    /// Flushes the rest and waits until every chunk is delivered, the stream gives up, or
    /// <paramref name="cancellationToken"/> fires (then unsent output is abandoned).
    /// </summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _completing = true;
        }

        Start();
        _wake.Release();
        using var registration = cancellationToken.Register(_stop.Cancel);
        try
        {
            await _pump!.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Abandoned by the caller's deadline: the result matters more than the rest of the log.
        }
    }

    private async Task PumpAsync()
    {
        var token = _stop.Token;
        try
        {
            while (true)
            {
                bool completing;
                lock (_lock)
                {
                    completing = _completing;
                }

                if (!completing)
                {
                    using var tick = CancellationTokenSource.CreateLinkedTokenSource(token);
                    var delay = Task.Delay(_options.Interval, _time, tick.Token);
                    await Task.WhenAny(_wake.WaitAsync(tick.Token), delay).ConfigureAwait(false);
                    await tick.CancelAsync().ConfigureAwait(false);
                    token.ThrowIfCancellationRequested();
                }

                foreach (var text in TakeChunks())
                {
                    await SendAsync(text, token).ConfigureAwait(false);
                }

                lock (_lock)
                {
                    if ((_completing && _pending.Length == 0) || _broken)
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Stopped: see CompleteAsync.
        }
    }

    /// <summary>Cuts the pending text into chunk texts, masked, keeping back a possible secret prefix unless completing.</summary>
    private List<string> TakeChunks()
    {
        string text;
        lock (_lock)
        {
            if (_pending.Length == 0)
            {
                return [];
            }

            var masked = _masker.Apply(_pending.ToString());
            var holdBack = _completing ? 0 : _masker.UnfinishedSecretLength(masked);
            var take = Math.Max(0, masked.Length - holdBack);
            if (take > 0 && char.IsHighSurrogate(masked[take - 1]))
            {
                take--;
            }

            _pending.Clear().Append(masked, take, masked.Length - take);
            text = masked[..take];
            if (_droppedChars > 0 && text.Length > 0)
            {
                text = $"[reviewbot-agent] {_droppedChars} characters of output dropped: the server could not keep up.\n" + text;
                _droppedChars = 0;
            }
        }

        return Split(text, _options.MaxChunkBytes);
    }

    /// <summary>Splits text into pieces of at most <paramref name="maxBytes"/> UTF-8 bytes, never inside a surrogate pair.</summary>
    internal static List<string> Split(string text, int maxBytes)
    {
        var pieces = new List<string>();
        var start = 0;
        var bytes = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var width = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 4 : Encoding.UTF8.GetByteCount(text.AsSpan(i, 1));
            if (bytes + width > maxBytes && i > start)
            {
                pieces.Add(text[start..i]);
                start = i;
                bytes = 0;
            }

            bytes += width;
            if (width == 4)
            {
                i++;
            }
        }

        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return pieces;
    }

    private async Task SendAsync(string text, CancellationToken token)
    {
        if (_broken)
        {
            return;
        }

        var chunk = new LogChunk(_nodeId, _taskId, _leaseToken, Interlocked.Read(ref _nextSequence), text);
        var failures = 0;
        while (true)
        {
            try
            {
                await _server.AppendLogAsync(chunk, token).ConfigureAwait(false);
                Interlocked.Increment(ref _nextSequence);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
            {
                failures++;
                if (failures >= _options.MaxAttemptsPerChunk)
                {
                    Log.StreamStopped(_logger, _taskId, chunk.Sequence, failures, ex.Message);
                    lock (_lock)
                    {
                        _broken = true;
                        _pending.Clear();
                    }

                    return;
                }

                Log.ChunkRetry(_logger, _taskId, chunk.Sequence, ex.Message);
                var backoff = TimeSpan.FromMilliseconds(Math.Min(15_000, 250 * (1 << Math.Min(failures, 6))));
                await Task.Delay(backoff, _time, token).ConfigureAwait(false);
                await _server.WaitUntilReadyAsync(token).ConfigureAwait(false);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(101, LogLevel.Debug, "Task {TaskId}: log chunk {Sequence} not delivered ({Reason}); resending after the connection is back.", EventName = "LogChunkRetry")]
        public static partial void ChunkRetry(ILogger logger, string taskId, long sequence, string reason);

        [LoggerMessage(102, LogLevel.Warning, "Task {TaskId}: log streaming stopped at chunk {Sequence} after {Attempts} failed attempts ({Reason}); the task goes on.", EventName = "LogStreamStopped")]
        public static partial void StreamStopped(ILogger logger, string taskId, long sequence, int attempts, string reason);
    }
}
