using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary>
/// Files seeded by tests (<see cref="AddFile"/>) at a commit: <c>GET /repos/{o}/{r}/contents/{path}?ref=</c> as GitHub
/// documents it for a file (docs.github.com/rest/repos/contents#get-repository-content): <c>type: "file"</c>, the content
/// base64-encoded in lines of 60 characters, <c>encoding: "base64"</c>; 404 "Not Found" for a path the commit lacks.
/// A missing <c>ref</c> means the default branch, which the fake names "main".
/// </summary>
public sealed partial class FakeGitHubServer
{
    private readonly Dictionary<string, string> _files = new(StringComparer.OrdinalIgnoreCase);

    private static string FileKey(string owner, string repo, string gitRef, string path) => $"{owner}/{repo}@{gitRef}:{path}";

    /// <summary>Puts <paramref name="content"/> at <paramref name="path"/> in commit (or branch) <paramref name="gitRef"/>.</summary>
    public void AddFile(string owner, string repo, string gitRef, string path, string content)
    {
        lock (_state) _files[FileKey(owner, repo, gitRef, path)] = content;
    }

    private void MapContents(RouteGroupBuilder api) =>
        api.MapGet("/repos/{owner}/{repo}/contents/{**path}", (string owner, string repo, string path, HttpContext context) => Guarded(context, () =>
        {
            Admit(context.Request, createsContent: false);
            var gitRef = context.Request.Query["ref"].FirstOrDefault() ?? "main";
            string? content;
            lock (_state) content = _files.GetValueOrDefault(FileKey(owner, repo, gitRef, path));
            if (content is null) throw new FakeApiException(404, "Not Found");
            var bytes = System.Text.Encoding.UTF8.GetBytes(content);
            var base64 = Convert.ToBase64String(bytes);
            var lines = string.Concat(Enumerable.Range(0, (base64.Length + 59) / 60).Select(i => base64.Substring(i * 60, Math.Min(60, base64.Length - i * 60)) + "\n"));
            var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData(bytes));
            var url = $"{ApiUrl}repos/{owner}/{repo}/contents/{path}?ref={gitRef}";
            return Results.Json(new
            {
                type = "file", encoding = "base64", size = bytes.Length, name = path[(path.LastIndexOf('/') + 1)..], path, content = lines, sha, url,
                git_url = $"{ApiUrl}repos/{owner}/{repo}/git/blobs/{sha}", html_url = $"https://github.com/{owner}/{repo}/blob/{gitRef}/{path}",
                download_url = $"https://raw.githubusercontent.com/{owner}/{repo}/{gitRef}/{path}",
                _links = new { self = url, git = $"{ApiUrl}repos/{owner}/{repo}/git/blobs/{sha}", html = $"https://github.com/{owner}/{repo}/blob/{gitRef}/{path}" },
            });
        }));
}
