using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Check runs: create, update (annotations appended), get, list a ref's runs and a run's annotations. As on GitHub only
/// an App installation token may write them; a personal access token gets 403 "Resource not accessible by personal
/// access token", the answer the product must fall back from. Validation follows the REST docs and the 422 texts
/// GitHub is seen to send ("No more than 50 items are allowed; N were supplied.", "Only 65535 characters are allowed;
/// N were supplied.", the byte-size variant); texts for rules GitHub is not seen to word (conclusion missing, columns
/// across lines, start after end) are the fake's own. A completed run may be set back to queued/in_progress: GitHub's
/// behaviour there is not pinned down, so the fake allows it (clearing conclusion and completed_at) and records it.
/// Requested actions (<c>actions</c>) are kept on the run (an update that sends them replaces them) and held to the
/// documented limits: at most 3, label and identifier ≤ 20 characters, description ≤ 40.
/// Not modelled: check suites, the 1000-runs-per-name cap, <c>images</c> (accepted, ignored).
/// </summary>
public sealed partial class FakeGitHubServer
{
    private static readonly string[] CheckStatuses = ["queued", "in_progress", "completed"];
    private static readonly string[] CheckConclusions = ["action_required", "cancelled", "failure", "neutral", "success", "skipped", "stale", "timed_out"];
    private readonly SortedDictionary<long, FakeCheckRun> _checkRuns = [];
    private long _nextCheckRunId = 20_000_000_000;

    public IReadOnlyList<FakeCheckRun> CheckRuns(string owner, string repo)
    {
        lock (_state) return [.. _checkRuns.Values.Where(r => SameRepo(r.Owner, r.Repo, owner, repo))];
    }

    private string? CheckRunHeadSha(long id)
    {
        lock (_state) return _checkRuns.GetValueOrDefault(id)?.HeadSha;
    }

    private void MapChecks(RouteGroupBuilder api)
    {
        const string runs = "/repos/{owner}/{repo}/check-runs";
        api.MapPost(runs, (string owner, string repo, HttpContext context) => Guarded(context, async () =>
        {
            AdmitCheckWriter(context.Request);
            var run = ParseCheckRun(owner, repo, existing: null, await ReadObjectAsync(context.Request));
            lock (_state) _checkRuns[run.Id] = run;
            return Results.Json(CheckRunJson(run), statusCode: StatusCodes.Status201Created);
        }));
        api.MapPatch(runs + "/{id:long}", (string owner, string repo, long id, HttpContext context) => Guarded(context, async () =>
        {
            AdmitCheckWriter(context.Request);
            var body = await ReadObjectAsync(context.Request);
            lock (_state)
            {
                var run = ParseCheckRun(owner, repo, RequireCheckRun(owner, repo, id), body);
                _checkRuns[run.Id] = run;
                return Results.Json(CheckRunJson(run));
            }
        }));
        api.MapGet(runs + "/{id:long}", (string owner, string repo, long id, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            return Results.Json(CheckRunJson(RequireCheckRun(owner, repo, id)));
        }));
        api.MapGet(runs + "/{id:long}/annotations", (string owner, string repo, long id, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            return Results.Json(Page(context, RequireCheckRun(owner, repo, id).Annotations).Select(a => new
            {
                path = a.Path,
                start_line = a.StartLine,
                end_line = a.EndLine,
                start_column = a.StartColumn,
                end_column = a.EndColumn,
                annotation_level = a.AnnotationLevel,
                message = a.Message,
                title = a.Title,
                raw_details = a.RawDetails,
            }));
        }));
        // filter=latest (GitHub's default) keeps the most recent run of each name; filter=all keeps every one.
        api.MapGet("/repos/{owner}/{repo}/commits/{gitRef}/check-runs", (string owner, string repo, string gitRef, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            var query = context.Request.Query;
            var matching = CheckRuns(owner, repo).Where(r => r.HeadSha.Equals(gitRef, StringComparison.OrdinalIgnoreCase)
                && (string.IsNullOrEmpty(query["check_name"]) || r.Name == query["check_name"])
                && (string.IsNullOrEmpty(query["status"]) || r.Status == query["status"])).ToList();
            if (query["filter"] != "all")
                matching = [.. matching.GroupBy(r => r.Name).Select(g => g.MaxBy(r => r.Id)!).OrderBy(r => r.Id)];
            matching.Reverse(); // newest first
            return Results.Json(new { total_count = matching.Count, check_runs = Page(context, matching).Select(CheckRunJson) });
        }));
    }

    /// <summary>Writing check runs: authorised, an App installation (GitHub's 403 for anything else), then charged.</summary>
    private void AdmitCheckWriter(HttpRequest request)
    {
        var caller = Admit(request, createsContent: false);
        if (!caller.IsApp) throw new FakeApiException(StatusCodes.Status403Forbidden, "Resource not accessible by personal access token");
        Charge(caller);
    }

    private FakeCheckRun RequireCheckRun(string owner, string repo, long id)
    {
        lock (_state)
        {
            return _checkRuns.TryGetValue(id, out var r) && SameRepo(r.Owner, r.Repo, owner, repo) ? r : throw new FakeApiException(404, "Not Found");
        }
    }

    /// <summary>A new run (<paramref name="existing"/> null) or <paramref name="existing"/> updated by the request's fields.</summary>
    private FakeCheckRun ParseCheckRun(string owner, string repo, FakeCheckRun? existing, JsonObject body)
    {
        var now = Time.GetUtcNow();
        var name = Str(body, "name");
        var headSha = Str(body, "head_sha");
        if (existing is null && string.IsNullOrEmpty(name)) throw Invalid("\"name\" wasn't supplied.");
        if (existing is null && string.IsNullOrEmpty(headSha)) throw Invalid("\"head_sha\" wasn't supplied.");
        var status = OneOf(body, "status", CheckStatuses);
        var conclusion = OneOf(body, "conclusion", CheckConclusions);
        // "Providing conclusion will automatically set the status parameter to completed."
        if (conclusion is not null) status = "completed";
        if (status == "completed" && conclusion is null) // an update may lean on the conclusion the run already has
            conclusion = existing?.Conclusion ?? throw Invalid("\"conclusion\" is required when \"status\" is \"completed\"."); // wording: the fake's own
        var startedAt = Date(body, "started_at");
        var completedAt = Date(body, "completed_at");

        string? title = existing?.OutputTitle, summary = existing?.OutputSummary, text = existing?.OutputText;
        var annotations = new List<FakeAnnotation>(existing?.Annotations ?? []);
        switch (body["output"])
        {
            case null:
                break;
            case JsonObject output:
                title = Str(output, "title") ?? throw Invalid("\"title\" wasn't supplied.");
                summary = Str(output, "summary") ?? throw Invalid("\"summary\" wasn't supplied.");
                text = Str(output, "text") ?? text;
                CheckLength("summary", summary);
                if (text is not null) CheckLength("text", text);
                annotations.AddRange(ParseAnnotations(output["annotations"]));
                break;
            default:
                throw Invalid("For 'properties/output', it is not an object.");
        }

        var newStatus = status ?? existing?.Status ?? "queued";
        var newConclusion = status is null ? existing?.Conclusion : conclusion;
        var history = new List<FakeCheckRunChange>(existing?.History ?? []);
        if (existing is null || newStatus != existing.Status || newConclusion != existing.Conclusion)
            history.Add(new FakeCheckRunChange(newStatus, newConclusion, now));
        return new FakeCheckRun(
            existing?.Id ?? Interlocked.Increment(ref _nextCheckRunId),
            owner,
            repo,
            name ?? existing!.Name,
            headSha ?? existing!.HeadSha,
            newStatus,
            newConclusion,
            startedAt ?? existing?.StartedAt ?? now,
            newStatus == "completed" ? completedAt ?? existing?.CompletedAt ?? now : null,
            Str(body, "details_url") ?? existing?.DetailsUrl,
            Str(body, "external_id") ?? existing?.ExternalId,
            title,
            summary,
            text,
            annotations,
            history) { Actions = body.ContainsKey("actions") ? ParseActions(body["actions"]) : existing?.Actions ?? [] };
    }

    /// <summary>GitHub's documented limits: at most 3 actions; label ≤ 20, description ≤ 40, identifier ≤ 20 characters.</summary>
    private static List<FakeCheckRunAction> ParseActions(JsonNode? node)
    {
        if (node is null) return [];
        if (node is not JsonArray array) throw Invalid("For 'properties/actions', it is not an array.");
        if (array.Count > 3) throw Invalid($"No more than 3 items are allowed; {array.Count} were supplied.");
        return [.. array.Select(item =>
        {
            if (item is not JsonObject a) throw Invalid("For 'items', it is not an object.");
            string Field(string name, int max)
            {
                var value = Str(a, name) ?? throw Invalid($"\"{name}\" wasn't supplied.");
                if (value.Length == 0) throw Invalid($"For 'properties/{name}', \"\" is too short (minimum is 1 characters)."); // wording: the fake's own
                if (value.Length > max) throw Invalid($"For 'properties/{name}', \"{value}\" is too long (maximum is {max} characters).");
                return value;
            }
            return new FakeCheckRunAction(Field("label", 20), Field("description", 40), Field("identifier", 20));
        })];
    }

    /// <summary>GitHub counts characters ("Only 65535 characters are allowed") and, more recently, UTF-8 bytes.</summary>
    private static void CheckLength(string field, string value)
    {
        const int max = 65535;
        if (value.Length > max) throw Invalid($"Only {max} characters are allowed; {value.Length} were supplied.");
        if (Encoding.UTF8.GetByteCount(value) > max)
        {
            throw new FakeApiException(422, "Validation Failed",
                new[] { new { resource = "CheckRun", code = "custom", field, message = $"{field} exceeds a maximum bytesize of {max}" } });
        }
    }

    private static List<FakeAnnotation> ParseAnnotations(JsonNode? node)
    {
        if (node is null) return [];
        if (node is not JsonArray array) throw Invalid("For 'properties/annotations', it is not an array.");
        if (array.Count > 50) throw Invalid($"No more than 50 items are allowed; {array.Count} were supplied.");
        var result = new List<FakeAnnotation>();
        foreach (var item in array)
        {
            if (item is not JsonObject a) throw Invalid("For 'items', it is not an object.");
            var path = Str(a, "path") ?? throw Invalid("\"path\" wasn't supplied.");
            var start = Int(a, "start_line") ?? throw Invalid("\"start_line\" wasn't supplied.");
            var end = Int(a, "end_line") ?? throw Invalid("\"end_line\" wasn't supplied.");
            var level = OneOf(a, "annotation_level", "notice", "warning", "failure") ?? throw Invalid("\"annotation_level\" wasn't supplied.");
            var message = Str(a, "message") ?? throw Invalid("\"message\" wasn't supplied.");
            var startColumn = Int(a, "start_column");
            var endColumn = Int(a, "end_column");
            var title = Str(a, "title");
            var raw = Str(a, "raw_details");
            // The texts below are the fake's own; the rules are the documented ones.
            if (start < 1 || end < start) throw Invalid($"Annotation for {path}: start_line {start} must be at least 1 and not after end_line {end}.");
            if ((startColumn is not null || endColumn is not null) && start != end)
                throw Invalid($"Annotation for {path}: start_column and end_column are only allowed when start_line equals end_line.");
            if (startColumn is { } sc && endColumn is { } ec && ec < sc)
                throw Invalid($"Annotation for {path}: end_column {ec} is before start_column {sc}.");
            if (message.Length > 65535 || (raw?.Length ?? 0) > 65535) throw Invalid("Only 65535 characters are allowed in an annotation's message and raw_details.");
            if ((title?.Length ?? 0) > 255) throw Invalid("Only 255 characters are allowed in an annotation's title.");
            result.Add(new FakeAnnotation(path, start, end, startColumn, endColumn, level, message, title, raw));
        }
        return result;
    }

    private object CheckRunJson(FakeCheckRun r) => new
    {
        id = r.Id,
        node_id = $"CR_{r.Id}",
        head_sha = r.HeadSha,
        external_id = r.ExternalId,
        url = $"{ApiUrl}repos/{r.Owner}/{r.Repo}/check-runs/{r.Id}",
        html_url = $"https://github.com/{r.Owner}/{r.Repo}/runs/{r.Id}",
        details_url = r.DetailsUrl,
        status = r.Status,
        conclusion = r.Conclusion,
        started_at = r.StartedAt is { } s ? Iso(s) : null,
        completed_at = r.CompletedAt is { } c ? Iso(c) : null,
        output = new
        {
            title = r.OutputTitle,
            summary = r.OutputSummary,
            text = r.OutputText,
            annotations_count = r.Annotations.Count,
            annotations_url = $"{ApiUrl}repos/{r.Owner}/{r.Repo}/check-runs/{r.Id}/annotations",
        },
        name = r.Name,
        check_suite = new { id = 30_000_000 + r.Id % 1_000_000 },
        app = new { id = AppId, slug = AppBotLogin.Replace("[bot]", "", StringComparison.Ordinal), name = "ReviewBot" },
        pull_requests = Array.Empty<object>(),
    };
}
