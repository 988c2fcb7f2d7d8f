using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using ReviewBot.Core.Jobs;

namespace ReviewBot.Functions.Jobs.Scheduling;

/// <summary>A tick that was fired (or found already fired, or skipped by forbid).</summary>
public sealed record ScheduledFiring(string Job, DateTimeOffset Tick, Launch Launch);

/// <param name="Leader">Whether this instance led during the tick (nothing is fired otherwise).</param>
/// <param name="Fired">What this tick launched, in order.</param>
/// <param name="NextDue">The earliest cron tick after now among the jobs seen, if any: when to tick next.</param>
public sealed record TickReport(bool Leader, IReadOnlyList<ScheduledFiring> Fired, DateTimeOffset? NextDue);

/// <summary>
/// One scheduler instance. <see cref="TickAsync"/> is the whole of its work, called by the in-process loop
/// (<see cref="SchedulerService"/>) or by the Azure timer function. Only the lease holder acts.
/// <para>Invariants, per cron job:</para>
/// <list type="bullet">
/// <item>The stored cursor is the instant up to which ticks were evaluated; it only moves forward (ETag-checked).</item>
/// <item>A tick is fired (task id = job + tick) before the cursor passes it: a leader that dies in between leaves the
/// tick to its successor, whose firing finds the same task id; so no tick is lost and none creates two tasks.</item>
/// <item>A tick at most <see cref="SchedulerOptions.MisfireGrace"/> old is fired late; older ones are missed and follow
/// the job's <see cref="MisfirePolicy"/> (FireOnce: the latest missed tick once; Skip: none).</item>
/// <item>The catalog is read on every tick; when a job's schedule, time zone or enabled flag differs from the one its
/// cursor was made for, the cursor restarts at now (no back-fill), as on a job's first sight.</item>
/// </list>
/// </summary>
public sealed class Scheduler(
    IJobCatalog catalog,
    JobLauncher launcher,
    ScheduleStore store,
    LeaderLease lease,
    BranchPoller poller,
    IOptions<SchedulerOptions> options,
    ILogger<Scheduler> log)
{
    private readonly SchedulerOptions _options = options.Value;

    // Job name → (signature, next tick after the last cursor read): skips storage until a tick can be due.
    private readonly ConcurrentDictionary<string, (string Signature, DateTimeOffset? Next)> _nextDue = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CronSchedule?> _parsed = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _tickGate = new(1, 1);
    private DateTimeOffset _nextPoll = DateTimeOffset.MinValue;

    public LeaderLease Lease => lease;

    /// <summary>Evaluates every cron job (and, once per <see cref="SchedulerOptions.PollInterval"/>, every poll job) at
    /// <paramref name="now"/>. Ticks never overlap on one instance; a second caller waits.</summary>
    public async Task<TickReport> TickAsync(DateTimeOffset now, CancellationToken ct)
    {
        await _tickGate.WaitAsync(ct);
        try
        {
            if (!await lease.MaintainAsync(ct))
            {
                _nextDue.Clear(); // another leader moves the cursors meanwhile
                return new TickReport(false, [], null);
            }
            var jobs = await catalog.ListAsync(ct);
            var fired = new List<ScheduledFiring>();
            DateTimeOffset? nextDue = null;
            foreach (var job in jobs.Where(j => j.Trigger.Kind == JobTriggerKind.Cron))
            {
                if (!lease.IsLeader) break;
                try
                {
                    var next = await EvaluateCronAsync(job, now, fired, ct);
                    if (next is { } n && (nextDue is null || n < nextDue)) nextDue = n;
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    _nextDue.TryRemove(job.Name, out _);
                    SchedulingLog.JobFailed(log, job.Name, e);
                }
            }
            if (now >= _nextPoll && lease.IsLeader)
            {
                _nextPoll = now + _options.PollInterval;
                fired.AddRange(await poller.PollAsync([.. jobs.Where(j => j.Trigger.Kind == JobTriggerKind.Poll && j.Enabled)], lease, now, ct));
            }
            return new TickReport(lease.IsLeader, fired, nextDue);
        }
        finally { _tickGate.Release(); }
    }

    /// <summary>Returns the job's next tick after now (null when none or disabled).</summary>
    private async Task<DateTimeOffset?> EvaluateCronAsync(JobDefinition job, DateTimeOffset now, List<ScheduledFiring> fired, CancellationToken ct)
    {
        var signature = Signature(job);
        if (_nextDue.TryGetValue(job.Name, out var known) && known.Signature == signature && (known.Next is null || now < known.Next))
            return known.Next;

        var schedule = Parse(job);
        var state = await store.GetAsync(ScheduleStore.Cron, job.Name, ct);
        if (state is null || state.Signature != signature || state.Cursor is null)
        {
            // First sight, or a changed definition: evaluate from now on, nothing back-filled.
            if (!lease.IsLeader) return null;
            var fresh = new ScheduleState(ScheduleStore.Cron, job.Name, now, signature, null, state?.ETag ?? default);
            if (state is null ? await store.TryAddAsync(fresh, ct) : await store.TryUpdateAsync(fresh, ct))
                return Remember(job, signature, schedule, now);
            _nextDue.TryRemove(job.Name, out _); // another leader wrote first: read again next tick
            return null;
        }
        var cursor = state.Cursor.Value;
        if (!job.Enabled || schedule is null) return Remember(job, signature, null, cursor);

        var cutoff = now - _options.MisfireGrace;
        var missedLatest = schedule.Latest(cursor, cutoff);                                 // in (cursor, cutoff]
        var onTime = schedule.Occurrences(cursor > cutoff ? cursor : cutoff, now).ToList(); // in (max(cursor, cutoff), now]
        if (missedLatest is null && onTime.Count == 0) return Remember(job, signature, schedule, cursor);

        var toFire = new List<DateTimeOffset>();
        if (missedLatest is { } latest)
        {
            SchedulingLog.Misfired(log, job.Name, schedule.Occurrences(cursor, cutoff).Take(10_000).Count(), latest, job.Misfire.ToString());
            if (job.Misfire == MisfirePolicy.FireOnce) toFire.Add(latest);
        }
        toFire.AddRange(onTime);

        foreach (var tick in toFire)
        {
            // Checked before every firing: a leader whose lease may have lapsed (a pause, a failed renewal) stops here.
            if (!lease.IsLeader) return null;
            var utc = tick.UtcDateTime;
            var launch = await launcher.FireAsync(job, new JobFiring(utc.ToString("o"), $"cron {utc:u}"), ct);
            fired.Add(new ScheduledFiring(job.Name, tick, launch));
            SchedulingLog.Fired(log, job.Name, launch.Outcome.ToString(), $"cron {utc:u}", launch.TaskId);
        }

        if (!lease.IsLeader) return null;
        if (!await store.TryUpdateAsync(state with { Cursor = now > cursor ? now : cursor }, ct))
        {
            _nextDue.TryRemove(job.Name, out _);
            return schedule.Next(now);
        }
        return Remember(job, signature, schedule, now);
    }

    private DateTimeOffset? Remember(JobDefinition job, string signature, CronSchedule? schedule, DateTimeOffset cursor)
    {
        var next = schedule?.Next(cursor);
        _nextDue[job.Name] = (signature, next);
        return next;
    }

    private CronSchedule? Parse(JobDefinition job)
    {
        var key = $"{job.Trigger.Cron}\n{job.Trigger.TimeZone}";
        return _parsed.GetOrAdd(key, _ =>
        {
            if (CronSchedule.TryParse(job.Trigger.Cron, job.Trigger.TimeZone, out var s, out var error)) return s;
            SchedulingLog.BadTrigger(log, job.Name, error);
            return null;
        });
    }

    /// <summary>What a cursor is valid for: the expression, the zone and whether the job runs at all.</summary>
    private static string Signature(JobDefinition job) =>
        $"{job.Trigger.Cron?.Trim()}|{job.Trigger.TimeZone?.Trim()}|{(job.Enabled ? "on" : "off")}";
}
