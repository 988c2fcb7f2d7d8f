using System.Globalization;

namespace ReviewBot.Functions.CodeHosts.GitLab.Api;

public sealed partial class GitLabClient
{
    /// <summary>A repository file read is capped here; a larger one is refused unread.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary><c>GET /projects/:id/repository/files/:path/raw?ref=</c>: the file's text, or null when the ref has no
    /// such file (GitLab's 404 "File Not Found"). Any other failure, an unknown ref included (404 "Commit Not Found"),
    /// throws <see cref="GitLabApiException"/>.</summary>
    public async Task<string?> GetRawFileAsync(long project, string path, string @ref, CancellationToken ct)
    {
        var uri = string.Create(CultureInfo.InvariantCulture,
            $"projects/{project}/repository/files/{Uri.EscapeDataString(path)}/raw?ref={Uri.EscapeDataString(@ref)}");
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            var message = GitLabApiException.MessageOf(await response.Content.ReadAsStringAsync(ct));
            if (message.Contains("File Not Found", StringComparison.OrdinalIgnoreCase)) return null;
            throw new GitLabApiException(response.StatusCode, "GET", $"projects/{project}/repository/files", message);
        }

        await EnsureSuccessAsync(response, ct);
        if (response.Content.Headers.ContentLength > MaxFileBytes)
            throw new GitLabApiException(response.StatusCode, "GET", $"projects/{project}/repository/files", $"the file has {response.Content.Headers.ContentLength} bytes; at most {MaxFileBytes} are read");
        return await response.Content.ReadAsStringAsync(ct);
    }
}
