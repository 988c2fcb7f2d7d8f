using System.Text.Json;
using ReviewBot.Core;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Storage;

namespace ReviewBot.Functions.Tasks;

/// <summary>
/// Makes a task fit its row (<see cref="FieldLimits.TaskRow"/> characters of JSON in one Table property), so that no
/// change to a task fails in storage because of its size. In order, until it fits:
/// <list type="number">
/// <item>always: history notes, the error and the placement reason are cut to <see cref="FieldLimits.Note"/> and
/// <see cref="FieldLimits.Error"/> (the full error of an agent is in the result blob);</item>
/// <item>the oldest history entries go, except the first (how the task came to be);</item>
/// <item>a task that has ended gets its source fields cut (refs, clone URL, trigger...): they steer nothing any more,
/// and this is how a row stored near the limit by an older version can still be aborted or timed out.</item>
/// </list>
/// A task that would still run and does not fit is refused with <see cref="TaskRowTooLargeException"/>: cutting a ref
/// of a task that runs would fetch another branch. Ingest caps (<see cref="FieldLimits"/>) keep new tasks far below.
/// </summary>
public static class TaskRowFit
{
    /// <summary>The task as it is to be stored (cut where needed), and its JSON.</summary>
    public static (ReviewTask Task, string Json) Fit(ReviewTask task)
    {
        var t = CapTexts(task);
        var json = Serialize(t);
        if (json.Length <= FieldLimits.TaskRow) return (t, json);

        if (t.History.Count > 2)
        {
            var excess = json.Length - FieldLimits.TaskRow;
            var drop = 0;
            for (var freed = 0; freed < excess && drop < t.History.Count - 2; drop++)
                freed += JsonSerializer.Serialize(t.History[1 + drop], StorageJson.Options).Length + 1; // the entry and its comma
            t = t with { History = [t.History[0], .. t.History.Skip(1 + drop)] };
            json = Serialize(t);
            if (json.Length <= FieldLimits.TaskRow) return (t, json);
        }

        if (t.State.IsTerminal())
        {
            // The longest source field is cut first, each to no less than 100 characters.
            for (var round = 0; round < 8 && json.Length > FieldLimits.TaskRow; round++)
            {
                var (name, value) = SourceFields(t).Where(f => f.Value is { Length: > 100 }).MaxBy(f => f.Value!.Length);
                if (value is null) break;
                t = WithSourceField(t, name, FieldLimits.Cut(value, Math.Max(100, value.Length - (json.Length - FieldLimits.TaskRow) - 16)));
                json = Serialize(t);
            }
            if (json.Length <= FieldLimits.TaskRow) return (t, json);
        }
        throw new TaskRowTooLargeException(t.Id, json.Length);
    }

    private static string Serialize(ReviewTask t) => JsonSerializer.Serialize(t, StorageJson.Options);

    private static ReviewTask CapTexts(ReviewTask t)
    {
        var notesFit = t.History.All(h => h.Note.Length <= FieldLimits.Note);
        if (notesFit && t.Error is not { Length: > FieldLimits.Error } && t.PlacementReason is not { Length: > FieldLimits.Note }
            && t.Reporting.Error is not { Length: > FieldLimits.Error } && t.Reporting.Note is not { Length: > FieldLimits.Note })
            return t;
        return t with
        {
            History = notesFit ? t.History : [.. t.History.Select(h => h with { Note = FieldLimits.Cut(h.Note, FieldLimits.Note) })],
            Error = FieldLimits.CutOrNull(t.Error, FieldLimits.Error),
            PlacementReason = FieldLimits.CutOrNull(t.PlacementReason, FieldLimits.Note),
            Reporting = t.Reporting with
            {
                Error = FieldLimits.CutOrNull(t.Reporting.Error, FieldLimits.Error),
                Note = FieldLimits.CutOrNull(t.Reporting.Note, FieldLimits.Note),
            },
        };
    }

    private static IEnumerable<(string Name, string? Value)> SourceFields(ReviewTask t) =>
    [
        (nameof(t.HeadRef), t.HeadRef), (nameof(t.BaseRef), t.BaseRef), (nameof(t.CloneUrl), t.CloneUrl), (nameof(t.Trigger), t.Trigger),
        (nameof(t.NodeLabels), t.NodeLabels), (nameof(t.DeliveryId), t.DeliveryId), (nameof(t.Repository), t.Repository),
    ];

    private static ReviewTask WithSourceField(ReviewTask t, string name, string value) => name switch
    {
        nameof(t.HeadRef) => t with { HeadRef = value },
        nameof(t.BaseRef) => t with { BaseRef = value },
        nameof(t.CloneUrl) => t with { CloneUrl = value },
        nameof(t.Trigger) => t with { Trigger = value },
        nameof(t.NodeLabels) => t with { NodeLabels = value },
        nameof(t.DeliveryId) => t with { DeliveryId = value },
        _ => t with { Repository = value },
    };
}

/// <summary>A change would make the task's row larger than Table Storage holds, and nothing of it may be cut (the task
/// would still run). The dispatcher fails such a task; abort and timeouts end it with a minimal row.</summary>
public sealed class TaskRowTooLargeException(string taskId, int chars)
    : Exception($"task {taskId} is too large to store: its row would be {chars} characters, at most {FieldLimits.TaskRow} fit")
{
    public string TaskId { get; } = taskId;
    public int Chars { get; } = chars;
}
