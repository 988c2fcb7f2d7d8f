using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Testing.FakeGitHub;

/// <summary><c>GET /rate_limit</c>: a plain read, handy for testing the client pipeline.</summary>
public sealed partial class FakeGitHubServer
{
    private void MapRateLimit(RouteGroupBuilder api) =>
        api.MapGet("/rate_limit", () =>
        {
            var reset = (Time.GetUtcNow() + TimeSpan.FromHours(1)).ToUnixTimeSeconds();
            var core = new { limit = 5000, remaining = 4999, reset, used = 1 };
            return Results.Json(new { resources = new { core, search = new { limit = 30, remaining = 30, reset, used = 0 } }, rate = core });
        });
}
