using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>
/// <c>GET /projects/:id/repository/tree?ref=&amp;recursive=&amp;per_page=</c>, as GitLab answers it: the entries
/// (<c>{id, name, type, path, mode}</c>, a "tree" for every directory above a file, a "blob" per file; only the root's
/// children unless <c>recursive=true</c>) of the tree the test seeded at the ref, else 404 "Tree Not Found". With
/// <c>pagination=keyset</c> the next page is named only by <c>Link: &lt;…&amp;page_token=…&gt;; rel="next"</c> (an
/// opaque token, here the last path served, base64); otherwise page numbers with the X- headers (<see cref="Page{T}"/>),
/// which is also what <see cref="TreeIgnoresKeyset"/> makes it answer to keyset requests (GitLab versions that did).
/// </summary>
public sealed partial class FakeGitLabServer
{
    private readonly ConcurrentDictionary<(long Project, string Ref), List<TreeEntry>> _trees = new();

    /// <summary>Answer keyset requests of the tree with page numbers, as some GitLab versions did.</summary>
    public bool TreeIgnoresKeyset { get; set; }

    /// <summary>Seeds the files of the tree at <paramref name="ref"/> (paths from the repository root); null forgets it.</summary>
    public void SetTree(long project, string @ref, IEnumerable<string>? files)
    {
        if (files is null) _trees.TryRemove((project, @ref), out _);
        else _trees[(project, @ref)] = Entries([.. files]);
    }

    private void MapTree(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{project:long}/repository/tree", (long project, string? @ref, bool? recursive, string? pagination, string? page_token, HttpContext context) =>
        {
            if (@ref is null || !_trees.TryGetValue((project, @ref), out var all)) return Message(404, "404 Tree Not Found");
            var entries = recursive == true ? all : all.Where(e => !e.path.Contains('/')).ToList();
            if (pagination != "keyset" || TreeIgnoresKeyset) return Page(context, entries);

            var q = context.Request.Query;
            var perPage = Math.Clamp(int.TryParse(q["per_page"], out var pp) ? pp : 20, 1, Math.Min(100, MaxPerPage));
            var after = page_token is null ? null : Encoding.UTF8.GetString(Convert.FromBase64String(page_token));
            var rest = entries.SkipWhile(e => after is not null && string.CompareOrdinal(e.path, after) <= 0).ToList();
            var page = rest.Take(perPage).ToList();
            if (rest.Count > perPage)
            {
                var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(page[^1].path));
                var query = q.Where(kv => kv.Key is not ("page_token" or "per_page" or "page")).Select(kv => $"{kv.Key}={Uri.EscapeDataString(kv.Value.ToString())}")
                    .Append($"page_token={Uri.EscapeDataString(token)}").Append($"per_page={perPage}");
                context.Response.Headers["Link"] = $"<{Url}{context.Request.Path}?{string.Join('&', query)}>; rel=\"next\"";
            }

            return Results.Json(page, Json);
        });
    }

    /// <summary>Directories and files in path order (directories as "tree" entries), as a recursive listing has them.</summary>
    private static List<TreeEntry> Entries(IReadOnlyList<string> files)
    {
        var paths = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var parts = file.Split('/');
            for (var i = 1; i < parts.Length; i++) paths.TryAdd(string.Join('/', parts[..i]), "tree");
            paths[file] = "blob";
        }

        return [.. paths.Select(p => new TreeEntry(
            Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(Encoding.UTF8.GetBytes(p.Key))),
            p.Key[(p.Key.LastIndexOf('/') + 1)..], p.Value, p.Key, p.Value == "tree" ? "040000" : "100644"))];
    }

    private sealed record TreeEntry(string id, string name, string type, string path, string mode);
}
