using System.Text.Json;
using ReviewBot.Core;
using ReviewBot.Core.Jobs;
using ReviewBot.Core.Tasks;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;

namespace ReviewBot.Functions.CodeHosts.GitLab.Webhooks;

/// <summary>What a hook that may start jobs came to: the runs (created now or by an earlier delivery of the same
/// event), and the event in words for the answer.</summary>
public sealed record GitLabJobOutcome(IReadOnlyList<string> TaskIds, string What);

/// <summary>
/// GitLab hooks that start jobs, mapped to <see cref="JobEvent"/>s that <see cref="JobEvents"/> fires:
/// a <c>Merge Request Hook</c> with <c>object_attributes.action: merge</c> → prMerged (source and target branch, on
/// <c>merge_commit_sha</c>, else the target branch's head: a fast-forward merge has none); a <c>Tag Push Hook</c> →
/// tagCreated (<c>ref</c> <c>refs/tags/X</c>, on <c>checkout_sha</c>); a <c>Push Hook</c> to <c>refs/heads/X</c> →
/// push (on <c>after</c>). A deletion (<c>after</c> all zeros) fires nothing. Every field is checked before anything
/// fires (project path, branch and tag names, commits, and the project's <c>git_http_url</c> on the <c>Url</c> host, as
/// merge request tasks are): a breach is a <see cref="WebhookPayloadException"/> naming the field (400). The firing
/// keys make a redelivery under any id fire once: "merged:gitlab:&lt;project id&gt;!&lt;iid&gt;",
/// "tag:gitlab:&lt;project id&gt;:&lt;tag&gt;@&lt;after&gt;", "push:gitlab:&lt;project id&gt;:&lt;branch&gt;:&lt;before&gt;..&lt;after&gt;".
/// The project's <c>default_branch</c> is where its <c>.reviewbot.yml</c> jobs are read (GitLab's repository files API).
/// No trust rule applies: only people who may push to the project can merge, tag or push.
/// </summary>
public sealed class GitLabJobHooks(JobEvents jobs, GitLabSource sources)
{
    private const string Heads = "refs/heads/";
    private const string Tags = "refs/tags/";

    /// <summary>Whether a merge request hook is a merge (<c>object_attributes.action</c>), which starts jobs rather than a review.</summary>
    public static bool IsMerge(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.ValueKind == JsonValueKind.Object
            && doc.RootElement.TryGetProperty("object_attributes", out var a) && a.ValueKind == JsonValueKind.Object
            && a.TryGetProperty("action", out var action) && action.ValueKind == JsonValueKind.String && action.GetString() == "merge";
    }

    /// <summary>Fires the jobs of a <c>Merge Request Hook</c> (merge), <c>Tag Push Hook</c> or <c>Push Hook</c>.</summary>
    public async Task<GitLabJobOutcome> FireAsync(string eventName, byte[] body, string deliveryId, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new WebhookPayloadException("body", "is not a JSON object");
        var (e, what) = eventName switch
        {
            "Merge Request Hook" => Merged(root, deliveryId),
            "Tag Push Hook" => Tag(root, deliveryId),
            "Push Hook" => Push(root, deliveryId),
            _ => throw new ArgumentException($"'{eventName}' starts no job", nameof(eventName)),
        };
        return new GitLabJobOutcome(e is null ? [] : await jobs.FireAsync(e, ct), what);
    }

    private (JobEvent?, string) Merged(JsonElement root, string deliveryId)
    {
        Kind(root, "merge_request");
        var attributes = Object(root, "object_attributes");
        var iid = Number(attributes, "iid", "object_attributes.iid");
        if (iid > FieldLimits.MaxNumber) throw new WebhookPayloadException("object_attributes.iid", $"is {iid}; a merge request iid is between 1 and {FieldLimits.MaxNumber}");
        var source = Branch(String(attributes, "source_branch", "object_attributes.source_branch"), "object_attributes.source_branch");
        var target = Branch(String(attributes, "target_branch", "object_attributes.target_branch"), "object_attributes.target_branch");
        var sha = Sha(Optional(attributes, "merge_commit_sha", "object_attributes.merge_commit_sha"), "object_attributes.merge_commit_sha");
        var project = Project(root);
        var what = $"merge_request.merge of {project.Path}!{iid}";
        return (Event(project, JobTriggerKind.PrMerged, target, $"merged:gitlab:{project.Id}!{iid}",
            $"gitlab merge_request merged {project.Path}!{iid} {source} → {target} (delivery {deliveryId})") with { SourceBranch = source, Sha = sha }, what);
    }

    private (JobEvent?, string) Tag(JsonElement root, string deliveryId)
    {
        Kind(root, "tag_push");
        var tag = RefUnder(root, Tags, "a tag");
        var after = Sha(String(root, "after", "after"), "after")!;
        var commit = Sha(Optional(root, "checkout_sha", "checkout_sha"), "checkout_sha");
        var project = Project(root);
        if (IsZero(after)) return (null, $"tag_push deleting {tag}");
        return (Event(project, JobTriggerKind.TagCreated, tag, $"tag:gitlab:{project.Id}:{tag}@{after}",
            $"gitlab tag_push {tag} (delivery {deliveryId})") with { Sha = commit }, $"tag_push {tag}");
    }

    private (JobEvent?, string) Push(JsonElement root, string deliveryId)
    {
        Kind(root, "push");
        var @ref = String(root, "ref", "ref");
        Cap("ref", @ref, FieldLimits.Ref);
        var before = Sha(Optional(root, "before", "before"), "before") ?? "";
        var after = Sha(String(root, "after", "after"), "after")!;
        var project = Project(root);
        if (!@ref.StartsWith(Heads, StringComparison.Ordinal)) return (null, $"push to {@ref}");
        var branch = Branch(@ref[Heads.Length..], "ref");
        if (IsZero(after)) return (null, $"push deleting {branch}");
        return (Event(project, JobTriggerKind.Push, branch, $"push:gitlab:{project.Id}:{branch}:{before}..{after}",
            $"gitlab push {branch} {after[..7]} (delivery {deliveryId})") with { Sha = after }, $"push to {branch}");
    }

    private sealed record ProjectFields(long Id, string Path, string CloneUrl, bool AllowLocal, string? DefaultBranch);

    /// <summary><c>project</c>: its id, path, clone URL on the <c>Url</c> host, default branch.</summary>
    private ProjectFields Project(JsonElement root)
    {
        var project = Object(root, "project");
        var id = Number(project, "id", "project.id");
        var path = String(project, "path_with_namespace", "project.path_with_namespace");
        Cap("project.path_with_namespace", path, FieldLimits.Repository);
        GitLabSource.Project(path, "project.path_with_namespace");
        var cloneUrl = String(project, "git_http_url", "project.git_http_url");
        Cap("project.git_http_url", cloneUrl, FieldLimits.CloneUrl);
        var allowLocal = sources.CloneUrl(cloneUrl, "project.git_http_url");
        var defaultBranch = Optional(project, "default_branch", "project.default_branch") is { } d ? Branch(d, "project.default_branch") : null;
        return new ProjectFields(id, path, cloneUrl, allowLocal, defaultBranch);
    }

    private static JobEvent Event(ProjectFields p, JobTriggerKind kind, string @ref, string key, string description) =>
        new(kind, CodeHostNames.GitLab, p.Path, @ref, key, description)
        {
            CloneUrl = p.CloneUrl,
            AllowLocal = p.AllowLocal,
            ProjectId = p.Id,
            DefaultBranch = p.DefaultBranch,
        };

    private static bool IsZero(string sha) => sha.All(c => c == '0');

    /// <summary><c>object_kind</c>, when present, must be the hook's.</summary>
    private static void Kind(JsonElement root, string kind)
    {
        if (Optional(root, "object_kind", "object_kind") is { } k && k != kind) throw new WebhookPayloadException("object_kind", $"is '{k}', not '{kind}'");
    }

    /// <summary>The name under <paramref name="prefix"/> of the hook's <c>ref</c>.</summary>
    private static string RefUnder(JsonElement root, string prefix, string what)
    {
        var @ref = String(root, "ref", "ref");
        Cap("ref", @ref, FieldLimits.Ref);
        if (!@ref.StartsWith(prefix, StringComparison.Ordinal) || @ref.Length == prefix.Length)
            throw new WebhookPayloadException("ref", $"'{@ref}' is not {what} ({prefix}…)");
        return Branch(@ref[prefix.Length..], "ref");
    }

    private static string Branch(string name, string field)
    {
        Cap(field, name, FieldLimits.Ref);
        WebhookSource.Ref(name, field, required: true);
        return name;
    }

    private static string? Sha(string? sha, string field)
    {
        Cap(field, sha, FieldLimits.Sha);
        WebhookSource.Sha(sha, field);
        return sha;
    }

    private static void Cap(string field, string? value, int max)
    {
        if (FieldLimits.Exceeds(value, max) is { } problem) throw new WebhookPayloadException(field, problem);
    }

    private static JsonElement Object(JsonElement parent, string name) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? v
        : throw new WebhookPayloadException(name, v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "is missing" : "must be an object");

    private static string String(JsonElement parent, string name, string path) =>
        Optional(parent, name, path) ?? throw new WebhookPayloadException(path, "is missing");

    /// <summary>A string, or null when absent, null or empty; another type is refused.</summary>
    private static string? Optional(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind != JsonValueKind.String) throw new WebhookPayloadException(path, $"must be a string, found {v.ValueKind.ToString().ToLowerInvariant()}");
        return v.GetString() is { Length: > 0 } s ? s : null;
    }

    private static long Number(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n > 0 ? n
        : throw new WebhookPayloadException(path, v.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "is missing" : "must be a positive integer");
}
