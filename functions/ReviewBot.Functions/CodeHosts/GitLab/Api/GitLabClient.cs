using System.Globalization;
using System.Text.RegularExpressions;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

/// <summary>
/// The GitLab REST API calls ReviewBot makes (typed client; base address <c>{Url}/api/v4/</c> and the
/// <c>PRIVATE-TOKEN</c> header are set at registration, retries by <see cref="GitLabHttpPipeline"/>). Listings read
/// every page, 100 per page, following <c>X-Next-Page</c> or else the <c>Link: rel="next"</c> header: comment sync
/// must see every earlier discussion of a merge request, or it posts duplicates of those beyond the first page.
/// Errors throw <see cref="GitLabApiException"/> with GitLab's message.
/// </summary>
public sealed partial class GitLabClient(HttpClient http)
{
    public const int PageSize = 100;

    /// <summary>A runaway listing stops here (100,000 items) rather than looping for ever on a broken server.</summary>
    private const int MaxPages = 1000;

    private static string Mr(long project, int iid) => string.Create(CultureInfo.InvariantCulture, $"projects/{project}/merge_requests/{iid}");

    public Task<GitLabMergeRequest> GetMergeRequestAsync(long project, int iid, CancellationToken ct) =>
        SendAsync<GitLabMergeRequest>(HttpMethod.Get, Mr(project, iid), null, ct);

    public Task<IReadOnlyList<GitLabDiscussion>> ListDiscussionsAsync(long project, int iid, CancellationToken ct) =>
        ListAsync<GitLabDiscussion>($"{Mr(project, iid)}/discussions", ct);

    public Task<GitLabDiscussion> CreateDiscussionAsync(long project, int iid, string body, GitLabPosition position, CancellationToken ct) =>
        SendAsync<GitLabDiscussion>(HttpMethod.Post, $"{Mr(project, iid)}/discussions", new { body, position }, ct);

    public Task<GitLabDiscussion> ResolveDiscussionAsync(long project, int iid, string discussionId, CancellationToken ct) =>
        SendAsync<GitLabDiscussion>(HttpMethod.Put, $"{Mr(project, iid)}/discussions/{Uri.EscapeDataString(discussionId)}?resolved=true", null, ct);

    public Task<IReadOnlyList<GitLabNote>> ListNotesAsync(long project, int iid, CancellationToken ct) =>
        ListAsync<GitLabNote>($"{Mr(project, iid)}/notes?sort=asc&order_by=created_at", ct);

    public Task<GitLabNote> CreateNoteAsync(long project, int iid, string body, CancellationToken ct) =>
        SendAsync<GitLabNote>(HttpMethod.Post, $"{Mr(project, iid)}/notes", new { body }, ct);

    public Task<GitLabNote> UpdateNoteAsync(long project, int iid, long noteId, string body, CancellationToken ct) =>
        SendAsync<GitLabNote>(HttpMethod.Put, string.Create(CultureInfo.InvariantCulture, $"{Mr(project, iid)}/notes/{noteId}"), new { body }, ct);

    public async Task DeleteNoteAsync(long project, int iid, long noteId, CancellationToken ct)
    {
        using var response = await http.DeleteAsync(string.Create(CultureInfo.InvariantCulture, $"{Mr(project, iid)}/notes/{noteId}"), ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>The merge request's changed files with their hunks (GitLab 15.7+; every page).</summary>
    public Task<IReadOnlyList<GitLabFileDiff>> ListDiffsAsync(long project, int iid, CancellationToken ct) =>
        ListAsync<GitLabFileDiff>($"{Mr(project, iid)}/diffs", ct);

    /// <summary>Sets the commit status <paramref name="name"/> on <paramref name="sha"/>; state is one of <see cref="GitLabStates"/>.</summary>
    public Task<GitLabCommitStatus> SetCommitStatusAsync(long project, string sha, string state, string name, string? targetUrl, string description, CancellationToken ct) =>
        SendAsync<GitLabCommitStatus>(HttpMethod.Post, string.Create(CultureInfo.InvariantCulture, $"projects/{project}/statuses/{Uri.EscapeDataString(sha)}"),
            new { state, name, target_url = targetUrl, description }, ct);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: GitLabJson.Options);
        using var response = await http.SendAsync(request, ct);
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(GitLabJson.Options, ct)
            ?? throw new GitLabApiException(response.StatusCode, method.Method, Path(request), "empty response");
    }

    private async Task<IReadOnlyList<T>> ListAsync<T>(string path, CancellationToken ct)
    {
        var all = new List<T>();
        var separator = path.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        var next = string.Create(CultureInfo.InvariantCulture, $"{path}{separator}per_page={PageSize}&page=1");
        for (var pages = 0; next is not null; pages++)
        {
            if (pages == MaxPages) throw new InvalidOperationException($"GitLab {path}: more than {MaxPages} pages.");
            using var response = await http.GetAsync(next, ct);
            await EnsureSuccessAsync(response, ct);
            all.AddRange(await response.Content.ReadFromJsonAsync<List<T>>(GitLabJson.Options, ct) ?? []);
            next = NextPage(response, path, separator);
        }
        return all;
    }

    /// <summary>The next page's address: <c>X-Next-Page</c> (empty on the last page), else <c>Link: &lt;…&gt;; rel="next"</c>
    /// (GitLab omits the X- headers for very large listings), else none.</summary>
    internal static string? NextPage(HttpResponseMessage response, string path, char separator)
    {
        if (response.Headers.TryGetValues("X-Next-Page", out var values))
        {
            var page = values.FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(page) ? null
                : int.TryParse(page, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? string.Create(CultureInfo.InvariantCulture, $"{path}{separator}per_page={PageSize}&page={n}") : null;
        }
        if (response.Headers.TryGetValues("Link", out var links))
            foreach (var link in links)
                if (NextLink().Match(link) is { Success: true } m) return m.Groups[1].Value;
        return null;
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        var request = response.RequestMessage;
        throw new GitLabApiException(response.StatusCode, request?.Method.Method ?? "?", request is null ? "?" : Path(request), GitLabApiException.MessageOf(body));
    }

    /// <summary>The request path without the query, for messages.</summary>
    private static string Path(HttpRequestMessage request) => request.RequestUri is { IsAbsoluteUri: true } u ? u.AbsolutePath : request.RequestUri?.OriginalString.Split('?')[0] ?? "";

    [GeneratedRegex("<([^>]+)>\\s*;\\s*rel=\"?next\"?", RegexOptions.CultureInvariant)]
    private static partial Regex NextLink();
}
