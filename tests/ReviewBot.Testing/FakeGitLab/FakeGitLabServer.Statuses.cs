using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>
/// <c>POST /projects/:id/statuses/:sha</c>: the state must be one GitLab knows, and, as on GitLab, setting a status to
/// the state it already has is refused with 400 "Cannot transition status via :x from :y".
/// </summary>
public sealed partial class FakeGitLabServer
{
    private static readonly string[] States = ["pending", "running", "success", "failed", "canceled"];
    private readonly ConcurrentQueue<FakeStatus> _statuses = new();
    private readonly ConcurrentDictionary<(long, string, string), string> _current = new();

    private int _statusesToRefuse;

    /// <summary>The next <paramref name="count"/> status posts are refused with 400 (a status GitLab would not take);
    /// other requests are answered as usual.</summary>
    public void RefuseNextStatuses(int count) => Interlocked.Exchange(ref _statusesToRefuse, count);

    /// <summary>Every status set, in order.</summary>
    public IReadOnlyList<FakeStatus> Statuses => [.. _statuses];

    private void MapStatuses(RouteGroupBuilder api)
    {
        api.MapPost("/projects/{project:long}/statuses/{sha}", (long project, string sha, JsonElement body) =>
        {
            if (TakeStatusRefusal()) return Message(400, "400 Bad request - refused by the test");
            var state = Text(body, "state");
            var name = Text(body, "name") ?? "default";
            if (state is null || !States.Contains(state)) return Results.Json(new { error = "state does not have a valid value" }, statusCode: 400);
            lock (_current)
            {
                if (_current.TryGetValue((project, sha, name), out var was) && was == state)
                    return Message(400, $"Cannot transition status via :{Event(state)} from :{was}");
                _current[(project, sha, name)] = state;
            }
            var status = new FakeStatus(project, sha, name, state, Text(body, "target_url"), Text(body, "description"));
            _statuses.Enqueue(status);
            return Results.Json(new { id = _statuses.Count, status = state, name, sha }, Json, statusCode: 201);
        });
    }

    private bool TakeStatusRefusal()
    {
        int left;
        do
        {
            left = Volatile.Read(ref _statusesToRefuse);
            if (left <= 0) return false;
        }
        while (Interlocked.CompareExchange(ref _statusesToRefuse, left - 1, left) != left);
        return true;
    }

    private static string Event(string state) => state switch
    {
        "pending" => "enqueue", "running" => "run", "success" => "succeed", "failed" => "drop", _ => "cancel",
    };
}

public sealed record FakeStatus(long ProjectId, string Sha, string Name, string State, string? TargetUrl, string? Description);
