using System.Text.Json;
using ReviewBot.Core.Jobs;

namespace ReviewBot.Functions.Jobs;

public enum JobCommandStatus { Ok, Created, NotFound, Invalid, Conflict, PreconditionFailed }

/// <summary>How a command on a job ended. <see cref="Errors"/> for Invalid; <see cref="Detail"/> says why for the others.</summary>
public sealed record JobCommandResult(JobCommandStatus Status, JobEntry? Entry = null, IReadOnlyList<JobFieldError>? Errors = null, string? Detail = null)
{
    public static JobCommandResult Invalid(params JobFieldError[] errors) => new(JobCommandStatus.Invalid, Errors: errors);
    public static JobCommandResult NotFound(string name) => new(JobCommandStatus.NotFound, Detail: $"No job named '{name}'.");
}

/// <summary>
/// What the API does to job definitions, without HTTP: create, replace, soft-delete, enable and disable. Each write is
/// ETag-checked against the row it was decided on; a PUT or DELETE with If-Match also checks the client's ETag.
/// </summary>
public sealed class JobCommands(JobCatalog catalog, JobStore store)
{
    /// <summary>A new API job; a job of the file with that name is overridden. Conflict when an API job has the name.</summary>
    public async Task<JobCommandResult> CreateAsync(JsonElement body, CancellationToken ct)
    {
        if (JobJson.NameOf(body, out var nameError) is not { } name) return JobCommandResult.Invalid(nameError!);
        var (job, errors) = JobJson.Read(name, body, catalog.ValidationContext, keptSecrets: null, enabled: true);
        if (job is null) return new JobCommandResult(JobCommandStatus.Invalid, Errors: errors);
        var existing = await store.GetAsync(name, ct);
        if (existing is { Deleted: false, Definition: not null })
            return new JobCommandResult(JobCommandStatus.Conflict, Detail: $"A job named '{name}' was already made through the API; PUT /api/jobs/{name} changes it.");
        var saved = await store.TrySaveAsync(new StoredJob(name, job, null, false, null, default), existing?.ETag, ct);
        return saved is null
            ? new JobCommandResult(JobCommandStatus.Conflict, Detail: $"The job '{name}' was changed at the same time; try again.")
            : new JobCommandResult(JobCommandStatus.Created, new JobEntry(JobCatalog.Merge(null, saved)!, saved));
    }

    /// <summary>Replaces the definition in effect (of the file or the API) with an API definition.</summary>
    public async Task<JobCommandResult> ReplaceAsync(string name, JsonElement body, string? ifMatch, CancellationToken ct)
    {
        if (await catalog.GetEntryAsync(name, ct) is not { } current) return JobCommandResult.NotFound(name);
        if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("name", out var n) && n.ValueKind != JsonValueKind.Null && n.ToString() != name)
            return JobCommandResult.Invalid(new JobFieldError("name", $"'{n}' differs from the job's name in the URL, '{name}'; a job cannot be renamed"));
        if (Mismatch(current.Stored, ifMatch)) return Stale(name);
        var (job, errors) = JobJson.Read(name, body, catalog.ValidationContext, current.Job.Secrets, current.Job.Enabled);
        if (job is null) return new JobCommandResult(JobCommandStatus.Invalid, Errors: errors);
        var saved = await store.TrySaveAsync(new StoredJob(name, job, null, false, null, default), current.Stored?.ETag, ct);
        return saved is null ? Stale(name, ifMatch) : new JobCommandResult(JobCommandStatus.Ok, new JobEntry(JobCatalog.Merge(null, saved)!, saved));
    }

    /// <summary>Soft delete: the name disappears (a job of the file with it too) until created again; its runs stay.</summary>
    public async Task<JobCommandResult> DeleteAsync(string name, string? ifMatch, DateTimeOffset now, CancellationToken ct)
    {
        if (await catalog.GetEntryAsync(name, ct) is not { } current) return JobCommandResult.NotFound(name);
        if (Mismatch(current.Stored, ifMatch)) return Stale(name);
        var deleted = new StoredJob(name, current.Stored?.Definition, current.Stored?.Enabled, true, now, default);
        return await store.TrySaveAsync(deleted, current.Stored?.ETag, ct) is null ? Stale(name, ifMatch) : new JobCommandResult(JobCommandStatus.Ok, current);
    }

    /// <summary>Enables or disables the job in effect (of the API: its definition; of the file: an override of it).</summary>
    public async Task<JobCommandResult> SetEnabledAsync(string name, bool enabled, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await catalog.GetEntryAsync(name, ct) is not { } current) return JobCommandResult.NotFound(name);
            var row = current.Stored is { Definition: { } api } stored
                ? stored with { Definition = api with { Enabled = enabled }, Enabled = null }
                : new StoredJob(name, null, enabled, false, null, default);
            if (await store.TrySaveAsync(row, current.Stored?.ETag, ct) is { } saved)
                return new JobCommandResult(JobCommandStatus.Ok, new JobEntry(JobCatalog.Merge(catalog.FromConfig(name), saved)!, saved));
        }
        return new JobCommandResult(JobCommandStatus.Conflict, Detail: $"The job '{name}' keeps changing; try again.");
    }

    private static bool Mismatch(StoredJob? stored, string? ifMatch) =>
        ifMatch is not null && ifMatch != "*" && ifMatch != stored?.ETag.ToString();

    /// <summary>The row changed under us: 412 when the client asked for a version (If-Match), else 409.</summary>
    private static JobCommandResult Stale(string name, string? ifMatch = "") => ifMatch is null
        ? new(JobCommandStatus.Conflict, Detail: $"The job '{name}' was changed at the same time; try again.")
        : new(JobCommandStatus.PreconditionFailed, Detail: $"The job '{name}' has changed since it was read (If-Match does not match its ETag); read it again.");
}
