using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>
/// What the reminders read, by project path (<c>group%2Fproject</c>, as GitLab asks it encoded): the open merge
/// requests (<c>GET /projects/:id/merge_requests?state=opened</c>, paginated, without <c>head_pipeline</c> as on
/// GitLab), one merge request (with it), <c>/approvals</c>, <c>/reviewers</c>, <c>/commits</c> (newest first),
/// <c>/notes</c> and a pipeline's jobs (<c>scope[]=failed</c>). Seeded with GitLab-shaped JSON
/// (<see cref="AddOpenMergeRequest"/>; tests take it from TestData/reminders).
/// </summary>
public sealed partial class FakeGitLabServer
{
    private readonly Lock _openGate = new();
    private readonly Dictionary<string, List<FakeOpenMergeRequest>> _open = new(StringComparer.OrdinalIgnoreCase);

    public FakeOpenMergeRequest AddOpenMergeRequest(string projectPath, JsonObject details)
    {
        var mr = new FakeOpenMergeRequest((JsonObject)details.DeepClone());
        lock (_openGate)
        {
            if (!_open.TryGetValue(projectPath, out var list)) _open[projectPath] = list = [];
            list.Add(mr);
        }
        return mr;
    }

    private void MapOpenMergeRequests(RouteGroupBuilder api)
    {
        var project = api.MapGroup("/projects/{project}");
        project.MapGet("/merge_requests", (string project, string? state, HttpContext context) => Open(project, list =>
        {
            if (state is not ("opened" or null)) return Message(400, "400 Bad request - state does not have a valid value");
            return Page(context, list.Select(m => m.Listed()).ToList());
        }));
        project.MapGet("/merge_requests/{iid:int}", (string project, int iid) => One(project, iid, m => Results.Json(m.Read(), Json)));
        project.MapGet("/merge_requests/{iid:int}/approvals", (string project, int iid) => One(project, iid, m => Results.Json(m.Approvals, Json)));
        project.MapGet("/merge_requests/{iid:int}/reviewers", (string project, int iid, HttpContext context) => One(project, iid, m => Page(context, [.. m.Reviewers])));
        project.MapGet("/merge_requests/{iid:int}/commits", (string project, int iid, HttpContext context) => One(project, iid, m => Page(context, [.. m.Commits])));
        project.MapGet("/merge_requests/{iid:int}/notes", (string project, int iid, HttpContext context) => One(project, iid, m => Page(context, [.. m.Notes])));
        project.MapGet("/pipelines/{pipeline:long}/jobs", (string project, long pipeline, HttpContext context) => Open(project, list =>
        {
            var scopes = context.Request.Query["scope[]"];
            var jobs = list.SelectMany(m => m.Jobs.TryGetValue(pipeline, out var j) ? j : []).OfType<JsonObject>()
                .Where(j => scopes.Count == 0 || scopes.Contains(j["status"]?.GetValue<string>())).ToList();
            return Page(context, jobs);
        }));
    }

    private IResult Open(string project, Func<List<FakeOpenMergeRequest>, IResult> handler)
    {
        List<FakeOpenMergeRequest>? list;
        lock (_openGate) list = _open.TryGetValue(Uri.UnescapeDataString(project), out var l) ? [.. l] : null;
        return list is null ? Message(404, "404 Project Not Found") : handler(list);
    }

    private IResult One(string project, int iid, Func<FakeOpenMergeRequest, IResult> handler) =>
        Open(project, list => list.FirstOrDefault(m => m.Iid == iid) is { } mr ? handler(mr) : Message(404, "404 Not found"));
}

/// <summary>A seeded open merge request: GitLab's JSON for it and its sub-resources, set by the test.</summary>
public sealed class FakeOpenMergeRequest(JsonObject details)
{
    private readonly Lock _gate = new();
    private string? _statusAfterRead;

    public int Iid => details["iid"]!.GetValue<int>();
    public JsonObject Approvals { get; set; } = new() { ["approved_by"] = new JsonArray(), ["approvals_required"] = 0, ["approvals_left"] = 0 };
    public List<JsonObject> Reviewers { get; } = [];
    /// <summary>Newest first, as GitLab lists them.</summary>
    public List<JsonObject> Commits { get; } = [];
    public List<JsonObject> Notes { get; } = [];
    public Dictionary<long, JsonArray> Jobs { get; } = [];

    /// <summary>After the merge request is next read, <c>detailed_merge_status</c> becomes <paramref name="status"/>: GitLab finishing its check.</summary>
    public void ComputeMergeStatusAfterNextRead(string status)
    {
        lock (_gate) _statusAfterRead = status;
    }

    /// <summary>The listing's form: no <c>head_pipeline</c> (GitLab returns it only for a single merge request).</summary>
    internal JsonObject Listed()
    {
        lock (_gate)
        {
            var copy = (JsonObject)details.DeepClone();
            copy.Remove("head_pipeline");
            return copy;
        }
    }

    internal JsonObject Read()
    {
        lock (_gate)
        {
            var copy = (JsonObject)details.DeepClone();
            if (_statusAfterRead is { } status)
            {
                details["detailed_merge_status"] = status;
                _statusAfterRead = null;
            }
            return copy;
        }
    }
}
