using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>
/// Leadership among ReviewBot instances: a lease on one blob (created when missing), acquired for
/// <see cref="SchedulerOptions.LeaseDuration"/> and renewed every <see cref="SchedulerOptions.RenewInterval"/>.
/// Invariant: <see cref="IsLeader"/> is true only while the lease is certainly ours: before
/// (time the last acquire/renew request was sent) + duration − safety margin, measured on <see cref="TimeProvider"/>,
/// and not after a failed renewal. The server starts the lease after the request was sent, so it cannot expire
/// earlier than that deadline. Callers check <see cref="IsLeader"/> right before each action, not once per tick.
/// </summary>
public sealed class LeaderLease : IAsyncDisposable
{
    private readonly BlobClient _blob;
    private readonly BlobLeaseClient _lease;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private bool _held;          // the lease is ours as far as we know (renewal to be tried)
    private bool _renewFailed;   // the last renewal failed for a transient reason: not leader until one succeeds
    private long _deadlineUtcTicks; // read by ticks on other threads: one atomic word, not a torn DateTimeOffset
    private DateTimeOffset? _lastAttempt;
    private bool _abandoned;

    public LeaderLease(BlobClient blob, SchedulerOptions options, TimeProvider time, ILogger<LeaderLease> log, string? id = null)
    {
        _blob = blob;
        _options = options;
        _time = time;
        _log = log;
        Id = id ?? Guid.NewGuid().ToString();
        _lease = blob.GetBlobLeaseClient(Id);
    }

    /// <summary>This instance's lease id (a GUID), also its name in logs.</summary>
    public string Id { get; }

    public bool IsLeader => Volatile.Read(ref _held) && !Volatile.Read(ref _renewFailed) && !Volatile.Read(ref _abandoned) && _time.GetUtcNow() < Deadline;

    /// <summary>When leadership ends unless renewed; meaningful only while <see cref="IsLeader"/>.</summary>
    public DateTimeOffset Deadline => new(Volatile.Read(ref _deadlineUtcTicks), TimeSpan.Zero);

    private void ExtendFrom(DateTimeOffset sentAt) =>
        Volatile.Write(ref _deadlineUtcTicks, (sentAt + _options.LeaseDuration - _options.LeaseSafetyMargin).UtcTicks);

    /// <summary>Raised with the new value whenever <see cref="MaintainAsync"/> changes the outcome.</summary>
    public event Action<bool>? LeadershipChanged;

    /// <summary>
    /// Renews the lease when a renewal is due, or tries to acquire it when not held and an attempt is due (once per
    /// <see cref="SchedulerOptions.RenewInterval"/>, so followers do not flood the blob). Idempotent between due
    /// times: the hosted loop and every tick may call it. Returns <see cref="IsLeader"/>.
    /// </summary>
    public async Task<bool> MaintainAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (_abandoned) return false;
            var now = _time.GetUtcNow();
            if (_lastAttempt is { } last && now - last < _options.RenewInterval && (!_held || IsLeader)) return IsLeader;
            var before = IsLeader;
            _lastAttempt = now;
            if (_held) await RenewAsync(now, ct);
            else await AcquireAsync(now, ct);
            if (IsLeader != before) LeadershipChanged?.Invoke(IsLeader);
            return IsLeader;
        }
        finally { _gate.Release(); }
    }

    /// <summary>Keeps <see cref="MaintainAsync"/> going every <see cref="SchedulerOptions.RenewInterval"/> until stopped.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await MaintainAsync(ct); }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) { SchedulingLog.LeaseError(_log, Id, e); }
            try { await Task.Delay(_options.RenewInterval, _time, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private async Task RenewAsync(DateTimeOffset sentAt, CancellationToken ct)
    {
        try
        {
            await _lease.RenewAsync(cancellationToken: ct);
            ExtendFrom(sentAt);
            _renewFailed = false;
        }
        catch (RequestFailedException e) when (e.Status is 404 or 409 or 412)
        {
            // Someone else holds it, or it was broken: ours is gone for good.
            _held = false;
            _renewFailed = false;
            SchedulingLog.LeaseLost(_log, Id, e.ErrorCode);
        }
        catch (Exception e) when (e is RequestFailedException or TimeoutException or HttpRequestException)
        {
            // Maybe still ours, but unproven: stop acting now, try again at the next attempt.
            _renewFailed = true;
            SchedulingLog.LeaseRenewFailed(_log, Id, e.Message);
        }
    }

    private async Task AcquireAsync(DateTimeOffset sentAt, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _lease.AcquireAsync(_options.LeaseDuration, cancellationToken: ct);
                ExtendFrom(sentAt); // before _held, so no reader pairs the new lease with an old deadline
                _renewFailed = false;
                Volatile.Write(ref _held, true);
                SchedulingLog.LeaseAcquired(_log, Id);
                return;
            }
            catch (RequestFailedException e) when (e.Status == 409)
            {
                return; // another instance leads
            }
            catch (RequestFailedException e) when (e.Status == 404 && attempt == 0)
            {
                await CreateBlobAsync(ct);
            }
        }
    }

    private async Task CreateBlobAsync(CancellationToken ct)
    {
        await _blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: ct);
        try { await _blob.UploadAsync(BinaryData.FromString(""), overwrite: false, ct); }
        catch (RequestFailedException e) when (e.Status is 409 or 412) { } // created (and maybe leased) by another instance
    }

    /// <summary>Gives the lease up so another instance can lead at once (on shutdown).</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            if (!_held || _abandoned) return;
            _held = false;
            try { await _lease.ReleaseAsync(cancellationToken: ct); }
            catch (RequestFailedException e) when (e.Status is 404 or 409 or 412) { }
            SchedulingLog.LeaseReleased(_log, Id);
            LeadershipChanged?.Invoke(false);
        }
        finally { _gate.Release(); }
    }

    /// <summary>Stops leading without telling the storage, as a crashed process would: the lease stays until it
    /// expires (or is broken). For tests.</summary>
    internal void Abandon() => _abandoned = true;

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try { await ReleaseAsync(cts.Token); }
        catch (Exception e) when (e is OperationCanceledException or RequestFailedException) { }
    }
}
