using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// The Git Data API (docs.github.com/rest/git) over an object store the tests seed (<see cref="SeedCommit"/>,
/// <see cref="SetRef"/>): <c>GET/POST git/blobs</c>, <c>GET git/trees/{sha}?recursive=1</c>, <c>POST git/trees</c>
/// (with <c>base_tree</c>; an entry with <c>sha: null</c> deletes the path), <c>GET/POST git/commits</c>,
/// <c>GET git/ref(s)/{ref}</c> and <c>PATCH git/refs/{ref}</c>, which is refused with GitHub's 422 "Update is not a fast
/// forward" unless <c>force</c> is true or the new commit descends from the ref's commit. Blob shas are git's
/// (<c>sha1("blob {size}\0" + bytes)</c>); tree and commit shas are the SHA-1 of the fake's own serialisation (unique,
/// not git's). Trees are stored flat (every file path with its mode and blob); a tree is served only recursively
/// (<c>recursive=1</c>), which is how the product reads it. A ref moved here does not move a seeded pull request's head:
/// a test that wants the next run pushes the same change with <see cref="FakePullRequest.SetHead"/>.
/// </summary>
public sealed partial class FakeGitHubServer
{
    private static readonly string[] TreeModes = ["100644", "100755", "040000", "160000", "120000"];
    private readonly Dictionary<string, byte[]> _blobs = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, SortedDictionary<string, FakeTreeEntry>> _trees = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FakeGitCommit> _gitCommits = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _refs = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Stores a commit named <paramref name="sha"/> (e.g. the real git repository's head) holding <paramref name="files"/>.</summary>
    public void SeedCommit(string sha, IReadOnlyDictionary<string, string> files, string? parent = null, string mode = "100644")
    {
        lock (_state)
        {
            var tree = new SortedDictionary<string, FakeTreeEntry>(StringComparer.Ordinal);
            foreach (var (path, content) in files) tree[path] = new FakeTreeEntry(mode, StoreBlob(Encoding.UTF8.GetBytes(content)));
            var treeSha = StoreTree(tree);
            _gitCommits[sha] = new FakeGitCommit(sha, treeSha, parent is null ? [] : [parent], "seeded", "seed", "seed@example.com");
        }
    }

    /// <summary>Points <paramref name="name"/> ("heads/feature") of the repository at <paramref name="sha"/>.</summary>
    public void SetRef(string owner, string repo, string name, string sha)
    {
        lock (_state) _refs[RefKey(owner, repo, name)] = sha;
    }

    /// <summary>The commit <paramref name="name"/> points at, or null.</summary>
    public string? Ref(string owner, string repo, string name)
    {
        lock (_state) return _refs.GetValueOrDefault(RefKey(owner, repo, name));
    }

    public FakeGitCommit? GitCommit(string sha)
    {
        lock (_state) return _gitCommits.GetValueOrDefault(sha);
    }

    /// <summary>The text of <paramref name="path"/> in commit <paramref name="sha"/>, or null when the commit lacks it.</summary>
    public string? FileAt(string sha, string path)
    {
        lock (_state)
        {
            return _gitCommits.GetValueOrDefault(sha) is { } c && _trees[c.TreeSha].GetValueOrDefault(path) is { } e
                ? Encoding.UTF8.GetString(_blobs[e.BlobSha]) : null;
        }
    }

    /// <summary>The mode of <paramref name="path"/> in commit <paramref name="sha"/> ("100644", "100755"…), or null.</summary>
    public string? ModeAt(string sha, string path)
    {
        lock (_state) return _gitCommits.GetValueOrDefault(sha) is { } c ? _trees[c.TreeSha].GetValueOrDefault(path)?.Mode : null;
    }

    private static string RefKey(string owner, string repo, string name) => $"{owner}/{repo}:{name.TrimStart('/')}";

    private string StoreBlob(byte[] bytes)
    {
        var header = Encoding.ASCII.GetBytes($"blob {bytes.Length}\0");
        var sha = Convert.ToHexStringLower(SHA1.HashData([.. header, .. bytes]));
        _blobs[sha] = bytes;
        return sha;
    }

    private string StoreTree(SortedDictionary<string, FakeTreeEntry> tree)
    {
        var text = string.Concat(tree.Select(e => $"{e.Value.Mode} {e.Key}\0{e.Value.BlobSha}\n"));
        var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes("tree\0" + text)));
        _trees[sha] = tree;
        return sha;
    }

    private bool DescendsFrom(string sha, string ancestor)
    {
        var pending = new Stack<string>([sha]);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (pending.TryPop(out var s))
        {
            if (s.Equals(ancestor, StringComparison.OrdinalIgnoreCase)) return true;
            if (!seen.Add(s) || !_gitCommits.TryGetValue(s, out var c)) continue;
            foreach (var p in c.Parents) pending.Push(p);
        }
        return false;
    }

    private void MapGitData(RouteGroupBuilder api)
    {
        const string git = "/repos/{owner}/{repo}/git";
        api.MapGet(git + "/blobs/{sha}", (string owner, string repo, string sha, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            byte[]? bytes;
            lock (_state) bytes = _blobs.GetValueOrDefault(sha);
            if (bytes is null) throw new FakeApiException(404, "Not Found");
            var base64 = Convert.ToBase64String(bytes);
            var lines = string.Concat(Enumerable.Range(0, (base64.Length + 59) / 60).Select(i => base64.Substring(i * 60, Math.Min(60, base64.Length - i * 60)) + "\n"));
            return Results.Json(new { sha, node_id = $"B_{sha}", size = bytes.Length, url = $"{ApiUrl}repos/{owner}/{repo}/git/blobs/{sha}", content = lines, encoding = "base64" });
        }));
        api.MapPost(git + "/blobs", (string owner, string repo, HttpContext context) => Guarded(context, async () =>
        {
            Admit(context.Request, createsContent: true);
            var body = await ReadObjectAsync(context.Request);
            var content = Str(body, "content") ?? throw Invalid("\"content\" wasn't supplied.");
            var encoding = OneOf(body, "encoding", "utf-8", "base64") ?? "utf-8";
            byte[] bytes;
            try
            {
                bytes = encoding == "base64" ? Convert.FromBase64String(content) : Encoding.UTF8.GetBytes(content);
            }
            catch (FormatException)
            {
                throw Invalid("For 'properties/content', the content is not valid base64.");
            }
            string sha;
            lock (_state) sha = StoreBlob(bytes);
            return Results.Json(new { sha, url = $"{ApiUrl}repos/{owner}/{repo}/git/blobs/{sha}" }, statusCode: StatusCodes.Status201Created);
        }));
        api.MapGet(git + "/trees/{sha}", (string owner, string repo, string sha, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            if (string.IsNullOrEmpty(context.Request.Query["recursive"]))
                throw new FakeApiException(422, "The fake serves trees recursively only: add recursive=1."); // the fake's own limit
            lock (_state)
            {
                var tree = _trees.GetValueOrDefault(sha) ?? throw new FakeApiException(404, "Not Found");
                return Results.Json(TreeJson(owner, repo, sha, tree));
            }
        }));
        api.MapPost(git + "/trees", (string owner, string repo, HttpContext context) => Guarded(context, async () =>
        {
            Admit(context.Request, createsContent: true);
            var body = await ReadObjectAsync(context.Request);
            var items = body["tree"] as JsonArray ?? throw Invalid("\"tree\" wasn't supplied.");
            lock (_state)
            {
                var baseTree = Str(body, "base_tree");
                var tree = new SortedDictionary<string, FakeTreeEntry>(StringComparer.Ordinal);
                if (baseTree is not null)
                {
                    foreach (var (p, e) in _trees.GetValueOrDefault(baseTree) ?? throw new FakeApiException(422, "Invalid tree info")) tree[p] = e;
                }
                foreach (var node in items)
                {
                    var item = node as JsonObject ?? throw Invalid("For 'items', it is not an object.");
                    var path = Str(item, "path") ?? throw Invalid("\"path\" wasn't supplied.");
                    var mode = OneOf(item, "mode", TreeModes) ?? throw Invalid("\"mode\" wasn't supplied.");
                    OneOf(item, "type", "blob", "tree", "commit");
                    if (item.ContainsKey("sha") && item["sha"] is null)
                    {
                        tree.Remove(path);
                        continue;
                    }
                    var blob = Str(item, "content") is { } content ? StoreBlob(Encoding.UTF8.GetBytes(content))
                        : Str(item, "sha") is { } s && _blobs.ContainsKey(s) ? s
                        : throw new FakeApiException(422, $"tree.sha {Str(item, "sha")} is not a valid blob");
                    tree[path] = new FakeTreeEntry(mode, blob);
                }
                var sha = StoreTree(tree);
                return Results.Json(TreeJson(owner, repo, sha, tree), statusCode: StatusCodes.Status201Created);
            }
        }));
        api.MapGet(git + "/commits/{sha}", (string owner, string repo, string sha, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            return Results.Json(GitCommitJson(owner, repo, GitCommit(sha) ?? throw new FakeApiException(404, "Not Found")));
        }));
        api.MapPost(git + "/commits", (string owner, string repo, HttpContext context) => Guarded(context, async () =>
        {
            var caller = Admit(context.Request, createsContent: true);
            var body = await ReadObjectAsync(context.Request);
            var message = Str(body, "message") ?? throw Invalid("\"message\" wasn't supplied.");
            var treeSha = Str(body, "tree") ?? throw Invalid("\"tree\" wasn't supplied.");
            var parents = (body["parents"] as JsonArray ?? []).Select(p => p?.GetValue<string>() ?? "").ToList();
            lock (_state)
            {
                if (!_trees.ContainsKey(treeSha)) throw new FakeApiException(422, "Tree SHA does not exist");
                if (parents.Any(p => !_gitCommits.ContainsKey(p))) throw new FakeApiException(422, "Parent SHA does not exist or is not a commit object");
                var author = body["author"] as JsonObject;
                var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"commit\0{treeSha}\0{string.Join(',', parents)}\0{message}\0{Guid.NewGuid()}")));
                var commit = new FakeGitCommit(sha, treeSha, parents, message,
                    author is null ? caller.User.Login : Str(author, "name") ?? caller.User.Login,
                    author is null ? $"{caller.User.Id}+{caller.User.Login}@users.noreply.github.com" : Str(author, "email") ?? "");
                _gitCommits[sha] = commit;
                return Results.Json(GitCommitJson(owner, repo, commit), statusCode: StatusCodes.Status201Created);
            }
        }));
        IResult GetRef(string owner, string repo, string name, HttpContext context)
        {
            Admit(context.Request, createsContent: false);
            var sha = Ref(owner, repo, name) ?? throw new FakeApiException(404, "Not Found");
            return Results.Json(RefJson(owner, repo, name, sha));
        }
        api.MapGet(git + "/ref/{**name}", (string owner, string repo, string name, HttpContext context) => Guarded(context, () => GetRef(owner, repo, name, context)));
        api.MapGet(git + "/refs/{**name}", (string owner, string repo, string name, HttpContext context) => Guarded(context, () => GetRef(owner, repo, name, context)));
        api.MapPatch(git + "/refs/{**name}", (string owner, string repo, string name, HttpContext context) => Guarded(context, async () =>
        {
            Admit(context.Request, createsContent: true);
            var body = await ReadObjectAsync(context.Request);
            var sha = Str(body, "sha") ?? throw Invalid("\"sha\" wasn't supplied.");
            var force = body["force"] is JsonValue f && f.TryGetValue<bool>(out var b) && b;
            lock (_state)
            {
                var key = RefKey(owner, repo, name);
                var current = _refs.GetValueOrDefault(key) ?? throw new FakeApiException(422, "Reference does not exist");
                if (!_gitCommits.ContainsKey(sha)) throw new FakeApiException(422, "Object does not exist");
                if (!force && !DescendsFrom(sha, current)) throw new FakeApiException(422, "Update is not a fast forward");
                _refs[key] = sha;
                return Results.Json(RefJson(owner, repo, name, sha));
            }
        }));
    }

    private object TreeJson(string owner, string repo, string sha, SortedDictionary<string, FakeTreeEntry> tree) => new
    {
        sha,
        url = $"{ApiUrl}repos/{owner}/{repo}/git/trees/{sha}",
        tree = tree.Select(e => new
        {
            path = e.Key, mode = e.Value.Mode, type = "blob", sha = e.Value.BlobSha, size = _blobs[e.Value.BlobSha].Length,
            url = $"{ApiUrl}repos/{owner}/{repo}/git/blobs/{e.Value.BlobSha}",
        }),
        truncated = false,
    };

    private object GitCommitJson(string owner, string repo, FakeGitCommit c)
    {
        var who = new { name = c.AuthorName, email = c.AuthorEmail, date = Iso(Time.GetUtcNow()) };
        return new
        {
            sha = c.Sha,
            node_id = $"C_{c.Sha}",
            url = $"{ApiUrl}repos/{owner}/{repo}/git/commits/{c.Sha}",
            html_url = $"https://github.com/{owner}/{repo}/commit/{c.Sha}",
            author = who,
            committer = who,
            message = c.Message,
            tree = new { sha = c.TreeSha, url = $"{ApiUrl}repos/{owner}/{repo}/git/trees/{c.TreeSha}" },
            parents = c.Parents.Select(p => new { sha = p, url = $"{ApiUrl}repos/{owner}/{repo}/git/commits/{p}" }),
            verification = new { verified = false, reason = "unsigned", signature = (string?)null, payload = (string?)null },
        };
    }

    private object RefJson(string owner, string repo, string name, string sha) => new
    {
        @ref = "refs/" + name.TrimStart('/'),
        node_id = $"REF_{name}",
        url = $"{ApiUrl}repos/{owner}/{repo}/git/refs/{name}",
        @object = new { sha, type = "commit", url = $"{ApiUrl}repos/{owner}/{repo}/git/commits/{sha}" },
    };
}

/// <summary>One file of a fake tree: its mode and blob.</summary>
public sealed record FakeTreeEntry(string Mode, string BlobSha);

/// <summary>A commit of the fake's object store.</summary>
public sealed record FakeGitCommit(string Sha, string TreeSha, IReadOnlyList<string> Parents, string Message, string AuthorName, string AuthorEmail);
