using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ReviewBot.Functions.Reminders.Chat;
using ReviewBot.Functions.Reminders.Chat.Commands;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Reminders.Bindings;

/// <summary>
/// <c>/api/bindings</c>: who is bound to whom (read key), an admin binding directly (<c>POST /api/bindings</c>) and an admin
/// confirming a chat user's code (<c>POST /api/bindings/confirm</c>). Writes need the admin key (<c>ApiAccess</c>).
/// </summary>
public static class BindingEndpoints
{
    public static IEndpointRouteBuilder MapBindingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/bindings").WithTags("Bindings");
        group.MapGet("/", List);
        group.MapPost("/", Bind);
        group.MapPost("/confirm", Confirm);
        return app;
    }

    /// <summary>One binding as the API shows it; <paramref name="Proven"/> false for a <c>bind</c> made before proof was required.</summary>
    public sealed record BindingView(string Platform, string Login, string ChatId, string Source, bool Proven, DateTimeOffset BoundAt)
    {
        public static BindingView Of(ChatBinding b) => new(b.Platform, b.Login, b.ChatId, b.Source, b.IsProven, b.BoundAt);
    }

    public static async Task<Results<Ok<List<BindingView>>, ProblemHttpResult>> List(string? platform, BindingStore store, CancellationToken ct)
    {
        if (platform is not null && !ChatPlatformNames.All.Contains(platform)) return UnknownPlatform(platform);
        var views = new List<BindingView>();
        foreach (var p in platform is null ? ChatPlatformNames.All : [platform])
        {
            views.AddRange((await store.ListAsync(p, ct)).Select(BindingView.Of));
        }

        return TypedResults.Ok(views);
    }

    public static async Task<Results<Ok<BindingView>, ProblemHttpResult>> Bind(HttpRequest request, BindingProofs proofs, CancellationToken ct)
    {
        if (await BodyAsync(request, ct) is not { } body) return NotJson();
        if (Text(body, "platform") is not { } platform) return Missing("platform");
        if (!ChatPlatformNames.All.Contains(platform)) return UnknownPlatform(platform);
        if (Text(body, "login") is not { } login) return Missing("login");
        if (!ChatCommand.IsLogin(login)) return Problem(400, "Invalid login", "login must be a code host login: letters, digits, '.', '_' or '-', at most 255.", "login");
        if (Text(body, "chatId") is not { } chatId) return Missing("chatId");
        if (chatId.Length > 255 || chatId.Any(char.IsControl)) return Problem(400, "Invalid chatId", "chatId must be at most 255 characters, without control characters.", "chatId");
        var host = Text(body, "host") ?? "github";
        if (host is not ("github" or "gitlab")) return Problem(400, "Invalid host", "host must be github or gitlab.", "host");
        return TypedResults.Ok(BindingView.Of(await proofs.BindByAdminAsync(platform, host, login, chatId, ct)));
    }

    public static async Task<Results<Ok<BindingView>, ProblemHttpResult>> Confirm(HttpRequest request, BindingProofs proofs, CancellationToken ct)
    {
        if (await BodyAsync(request, ct) is not { } body) return NotJson();
        if (Text(body, "code") is not { } code) return Missing("code");
        var (bound, failure) = await proofs.ConfirmAsync(code, host: null, login: null, BindingSources.Admin, ct);
        return bound is not null ? TypedResults.Ok(BindingView.Of(bound))
            : failure == RedeemFailure.Expired ? Problem(410, "Code expired", "The code has expired; the chat user asks again with bind.", "code")
            : Problem(404, "No such code", "No open bind code matches (unknown, already used, or expired and removed).", "code");
    }

    private static async Task<JsonElement?> BodyAsync(HttpRequest request, CancellationToken ct)
    {
        try
        {
            using var doc = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            return doc.RootElement.ValueKind == JsonValueKind.Object ? doc.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A non-empty string property; a property of another kind counts as missing.</summary>
    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && p.GetString() is { Length: > 0 } s ? s.Trim() : null;

    private static ProblemHttpResult NotJson() => Problem(400, "Invalid body", "The body must be a JSON object.", "body");

    private static ProblemHttpResult Missing(string field) => Problem(400, "Missing field", $"{field} is required (a non-empty string).", field);

    private static ProblemHttpResult UnknownPlatform(string platform) =>
        Problem(400, "Unknown platform", $"'{platform}' is not one of: {string.Join(", ", ChatPlatformNames.All)}.", "platform");
}
