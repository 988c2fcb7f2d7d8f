using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitLab;

/// <summary>
/// <c>GET /projects/:id/repository/files/:path/raw?ref=</c>: the text the test seeded for (project, ref, path), else 404
/// "File Not Found" when the ref is known to the fake (some file was seeded at it), else 404 "Commit Not Found", as
/// GitLab answers. The path arrives URL-encoded as one segment (<c>dir%2Ffile</c>).
/// </summary>
public sealed partial class FakeGitLabServer
{
    private readonly ConcurrentDictionary<(long Project, string Ref, string Path), string> _files = new();

    /// <summary>Seeds <paramref name="path"/> at <paramref name="ref"/>; a null <paramref name="text"/> makes the ref
    /// known without the file.</summary>
    public void SetFile(long project, string @ref, string path, string? text) => _files[(project, @ref, path)] = text ?? "\0absent";

    private void MapFiles(RouteGroupBuilder api)
    {
        api.MapGet("/projects/{project:long}/repository/files/{file}/raw", (long project, string file, string? @ref) =>
        {
            var path = Uri.UnescapeDataString(file);
            if (@ref is null) return Message(400, "ref is missing");
            if (_files.TryGetValue((project, @ref, path), out var text) && text != "\0absent") return Results.Text(text, "text/plain");
            return _files.Keys.Any(k => k.Project == project && k.Ref == @ref) ? Message(404, "404 File Not Found") : Message(404, "404 Commit Not Found");
        });
    }
}
