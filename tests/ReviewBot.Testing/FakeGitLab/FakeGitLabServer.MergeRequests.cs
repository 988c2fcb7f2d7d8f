using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ReviewBot.Core.Review.Diffs;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>
/// Merge requests, their diffs, discussions and notes. A discussion's position is checked as GitLab does: the three
/// SHAs must be the merge request's diff refs, <c>position_type</c> text, the path a file of the diff (old path =
/// its base-side path), and the lines one of: an added line as <c>new_line</c> alone; a context line as both
/// <c>new_line</c> and its <c>old_line</c>; a removed line as <c>old_line</c> alone. Anything else — notably
/// <c>old_line</c> together with <c>new_line</c> on an added line — gets GitLab's 400 about the line code.
/// </summary>
public sealed partial class FakeGitLabServer
{
    public const string BadLineCode = "400 Bad request - Note {:line_code=>[\"can't be blank\", \"must be a valid line code\"]}";

    private readonly ConcurrentDictionary<(long, int), FakeMergeRequest> _mergeRequests = new();
    private long _nextNoteId = 1000;

    public FakeMergeRequest AddMergeRequest(long projectId, int iid)
    {
        var mr = new FakeMergeRequest(projectId, iid);
        _mergeRequests[(projectId, iid)] = mr;
        return mr;
    }

    private void MapMergeRequests(RouteGroupBuilder api)
    {
        var mr = api.MapGroup("/projects/{project:long}/merge_requests/{iid:int}");
        mr.MapGet("", (long project, int iid) => With(project, iid, m => Results.Json(new
        {
            iid = m.Iid, sha = m.HeadSha, state = "opened",
            diff_refs = new { base_sha = m.BaseSha, head_sha = m.HeadSha, start_sha = m.StartSha },
        }, Json)));
        mr.MapGet("/diffs", (long project, int iid, HttpContext context) => With(project, iid, m =>
        {
            var patches = m.Patches();
            return Page(context, m.Files.Select(f => new
            {
                old_path = f.OldPath ?? f.NewPath, new_path = f.NewPath, diff = patches.GetValueOrDefault(f.NewPath, ""),
                new_file = f.Status == FileStatus.Added, renamed_file = f.Status == FileStatus.Renamed, deleted_file = f.Status == FileStatus.Deleted,
            }).ToList());
        }));
        mr.MapGet("/discussions", (long project, int iid, HttpContext context) => With(project, iid, m => Page(context, m.Discussions.Select(View).ToList())));
        mr.MapPost("/discussions", (long project, int iid, JsonElement body) => With(project, iid, m => CreateDiscussion(m, body)));
        mr.MapPut("/discussions/{id}", (long project, int iid, string id, bool? resolved) => With(project, iid, m =>
        {
            if (m.Discussions.FirstOrDefault(d => d.Id == id) is not { } d) return Message(404, "404 Not found");
            if (!d.Notes.Any(n => n.Resolvable)) return Message(400, "400 Bad request - discussion is not resolvable");
            if (resolved is null) return Message(400, "400 Bad request - resolved is missing");
            foreach (var n in d.Notes.Where(n => n.Resolvable)) n.Resolved = resolved.Value;
            return Results.Json(View(d), Json);
        }));
        mr.MapGet("/notes", (long project, int iid, HttpContext context) => With(project, iid, m => Page(context, m.Discussions.SelectMany(d => d.Notes).Select(NoteView).ToList())));
        mr.MapPost("/notes", (long project, int iid, JsonElement body) => With(project, iid, m =>
        {
            if (Text(body, "body") is not { Length: > 0 } text) return Message(400, "400 Bad request - body is missing");
            var note = new FakeNote { Id = Interlocked.Increment(ref _nextNoteId), Body = text };
            m.Discussions.Add(new FakeDiscussion { Id = NewId(), IndividualNote = true, Notes = [note] });
            return Results.Json(NoteView(note), Json, statusCode: 201);
        }));
        mr.MapPut("/notes/{noteId:long}", (long project, int iid, long noteId, JsonElement body) => With(project, iid, m =>
        {
            if (m.Discussions.SelectMany(d => d.Notes).FirstOrDefault(n => n.Id == noteId) is not { } note) return Message(404, "404 Note Not Found");
            if (Text(body, "body") is not { Length: > 0 } text) return Message(400, "400 Bad request - body is missing");
            note.Body = text;
            note.Edits++;
            return Results.Json(NoteView(note), Json);
        }));
        mr.MapDelete("/notes/{noteId:long}", (long project, int iid, long noteId) => With(project, iid, m =>
        {
            if (m.Discussions.FirstOrDefault(d => d.Notes.Any(n => n.Id == noteId)) is not { } d) return Message(404, "404 Note Not Found");
            d.Notes.RemoveAll(n => n.Id == noteId);
            if (d.Notes.Count == 0) m.Discussions.Remove(d);
            return Results.NoContent();
        }));
    }

    private IResult With(long project, int iid, Func<FakeMergeRequest, IResult> handle)
    {
        if (!_mergeRequests.TryGetValue((project, iid), out var m)) return Message(404, "404 Not found");
        lock (m.Gate) return handle(m);
    }

    private IResult CreateDiscussion(FakeMergeRequest m, JsonElement body)
    {
        if (Text(body, "body") is not { Length: > 0 } text) return Message(400, "400 Bad request - body is missing");
        if (!body.TryGetProperty("position", out var p) || p.ValueKind != JsonValueKind.Object)
            return Message(400, "400 Bad request - position is missing (this fake only takes diff discussions)");
        var position = new FakePosition(Text(p, "position_type") ?? "", Text(p, "base_sha") ?? "", Text(p, "start_sha") ?? "", Text(p, "head_sha") ?? "",
            Text(p, "old_path"), Text(p, "new_path"), Int(p, "old_line"), Int(p, "new_line"));
        if (position.PositionType != "text") return Message(400, "400 Bad request - position_type does not have a valid value");
        if (!Placeable(m, position)) return Message(400, BadLineCode);
        var note = new FakeNote { Id = Interlocked.Increment(ref _nextNoteId), Body = text, Type = "DiffNote", Resolvable = true, Position = position };
        var discussion = new FakeDiscussion { Id = NewId(), Notes = [note] };
        m.Discussions.Add(discussion);
        return Results.Json(View(discussion), Json, statusCode: 201);
    }

    private static bool Placeable(FakeMergeRequest m, FakePosition p)
    {
        if (p.BaseSha != m.BaseSha || p.StartSha != m.StartSha || p.HeadSha != m.HeadSha) return false;
        var file = m.Files.FirstOrDefault(f => f.NewPath == p.NewPath);
        if (file is null || p.OldPath != (file.OldPath ?? file.NewPath)) return false;
        switch (p.NewLine, p.OldLine)
        {
            case ({ } added, null):
                return file.HunkAt(added)?.IsAdded(added) == true;
            case ({ } line, { } old):
                return file.HunkAt(line)?.OldLineOf(line) == old;
            case (null, { } removed):
                return file.Hunks.Any(h => removed >= h.OldStart && removed < h.OldStart + h.OldCount && !h.ContextOldLines.Contains(removed));
            default:
                return false;
        }
    }

    private static object View(FakeDiscussion d) => new { id = d.Id, individual_note = d.IndividualNote, notes = d.Notes.Select(NoteView).ToList() };

    private static object NoteView(FakeNote n) => new
    {
        id = n.Id, body = n.Body, type = n.Type, system = n.System, resolvable = n.Resolvable, resolved = n.Resolved,
        position = n.Position is { } p ? new
        {
            position_type = p.PositionType, base_sha = p.BaseSha, start_sha = p.StartSha, head_sha = p.HeadSha,
            old_path = p.OldPath, new_path = p.NewPath, old_line = p.OldLine, new_line = p.NewLine,
        } : null,
    };

    private static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.Number => v.GetInt32(),
            JsonValueKind.String when int.TryParse(v.GetString(), out var n) => n,
            _ => null,
        } : null;
}
