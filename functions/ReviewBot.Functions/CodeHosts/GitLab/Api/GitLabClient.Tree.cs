using System.Globalization;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>One entry of a repository tree: <c>type</c> is "blob" (a file), "tree" (a directory) or "commit" (a submodule).</summary>
public sealed record GitLabTreeEntry(string Path, string Type);

public sealed partial class GitLabClient
{
    /// <summary>
    /// <c>GET /projects/:id/repository/tree?ref=&amp;recursive=true&amp;pagination=keyset</c>: every file path (blobs) of
    /// commit <paramref name="ref"/>, 100 entries a page. GitLab deprecates page numbers on this endpoint and documents
    /// keyset pagination, whose next page is only the <c>Link: &lt;…page_token=…&gt;; rel="next"</c> header; a server that
    /// ignores <c>pagination=keyset</c> answers with page numbers (<c>X-Next-Page</c>), which are followed then. Null when
    /// the tree has more than <paramref name="maxEntries"/> entries (directories count): reading stops there rather
    /// than spending hundreds of requests on one push. An unknown ref throws (404 "Tree Not Found").
    /// </summary>
    public async Task<IReadOnlyList<string>?> ListTreeFilesAsync(long project, string @ref, int maxEntries, CancellationToken ct)
    {
        var path = string.Create(CultureInfo.InvariantCulture,
            $"projects/{project}/repository/tree?ref={Uri.EscapeDataString(@ref)}&recursive=true&pagination=keyset");
        var next = $"{path}&per_page={PageSize}";
        var files = new List<string>();
        for (var entries = 0; next is not null;)
        {
            using var response = await http.GetAsync(next, ct);
            await EnsureSuccessAsync(response, ct);
            var page = await response.Content.ReadFromJsonAsync<List<GitLabTreeEntry>>(GitLabJson.Options, ct) ?? [];
            entries += page.Count;
            if (entries > maxEntries) return null;
            files.AddRange(page.Where(e => e.Type == "blob").Select(e => e.Path));
            next = page.Count == 0 ? null : NextKeysetPage(response, path);
        }

        return files;
    }

    /// <summary>The keyset <c>Link: rel="next"</c> address, else <c>X-Next-Page</c>'s page number, else none.</summary>
    private static string? NextKeysetPage(HttpResponseMessage response, string path)
    {
        if (response.Headers.TryGetValues("Link", out var links))
            foreach (var link in links)
                if (NextLink().Match(link) is { Success: true } m) return m.Groups[1].Value;
        return NextPage(response, path, '&');
    }
}
