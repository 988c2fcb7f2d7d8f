using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ReviewBot.Testing.FakeSignalRService;

/// <summary>
/// A local stand-in for Azure SignalR Service in serverless mode, speaking its documented protocol: client
/// negotiate with a JWT (HS256, key = UTF-8 access key, audience = the client URL without the port), WebSocket
/// connections from the real .NET SignalR client (JSON hub protocol, handshake, pings), the v1 REST API
/// (send to / close a connection, JWT audience = the request URL without query), and upstream POSTs to the app
/// (<c>{hub}/{category}/{event}</c> with <c>X-ASRS-*</c> headers and <c>X-ASRS-Signature</c>), relaying the
/// completions the app returns. Like the service, it hands the user id of the client token (<c>asrs.s.uid</c>) back
/// with every upstream call of that connection (<c>X-ASRS-User-Id</c>). Records every upstream call and REST call.
/// </summary>
public sealed class FakeSignalRService : IAsyncDisposable
{
    public const string AccessKey = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ABCDEFGH";
    private const char Rs = '\u001e';
    private static readonly JsonWebTokenHandler Jwt = new();

    private readonly ConcurrentDictionary<string, Connection> _connections = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly HttpClient _upstream = new() { Timeout = TimeSpan.FromSeconds(60) };
    private WebApplication _app = null!;
    private int _port;

    /// <summary>The app's upstream template, e.g. <c>http://127.0.0.1:5000/api/signalr/{hub}/{category}/{event}</c>.</summary>
    public string UpstreamTemplate { get; set; } = "";

    public string ConnectionString => $"Endpoint=http://127.0.0.1;Port={_port};AccessKey={AccessKey};Version=1.0;";

    /// <summary>"upstream connections/connected 200", "rest POST connections/x 202", … in order.</summary>
    public IReadOnlyList<string> Log => [.. _log];

    public int Connected => _connections.Count;

    public static async Task<FakeSignalRService> StartAsync()
    {
        var service = new FakeSignalRService();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapPost("/client/negotiate", service.Negotiate);
        app.Map("/client", service.AcceptAsync);
        app.MapPost("/api/v1/hubs/{hub}/connections/{id}", service.SendAsync);
        app.MapDelete("/api/v1/hubs/{hub}/connections/{id}", service.CloseAsync);
        await app.StartAsync().WaitAsync(Timeouts.Short);
        service._app = app;
        service._port = new Uri(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single()).Port;
        return service;
    }

    private async Task<bool> ValidAsync(string? authorization, string audience) => await ValidateAsync(authorization, audience) is { IsValid: true };

    private static async Task<TokenValidationResult?> ValidateAsync(string? authorization, string audience)
    {
        var token = authorization?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true ? authorization[7..] : authorization;
        if (string.IsNullOrEmpty(token)) return null;
        return await Jwt.ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(AccessKey)),
            ValidAudience = audience,
            ValidateIssuer = false,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
    }

    private async Task<IResult> Negotiate(HttpRequest request, string hub)
    {
        if (await ValidateAsync(request.Headers.Authorization, $"http://127.0.0.1/client/?hub={hub}") is not { IsValid: true } valid)
            return Results.Json(new { error = "invalid token" }, statusCode: 401);
        var token = Guid.NewGuid().ToString("N");
        _pending[token] = (hub, valid.Claims.TryGetValue("asrs.s.uid", out var uid) ? uid?.ToString() : null);
        return Results.Json(new
        {
            connectionId = token,
            connectionToken = token,
            negotiateVersion = 1,
            availableTransports = new[] { new { transport = "WebSockets", transferFormats = new[] { "Text", "Binary" } } },
        });
    }

    private readonly ConcurrentDictionary<string, (string Hub, string? UserId)> _pending = new();

    private async Task AcceptAsync(HttpContext context)
    {
        var id = context.Request.Query["id"].ToString();
        if (!context.WebSockets.IsWebSocketRequest || !_pending.TryRemove(id, out var pending))
        {
            context.Response.StatusCode = 404;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var connection = new Connection(id, pending.Hub, socket, pending.UserId);
        var buffer = new StringBuilder();
        try
        {
            // Handshake: {"protocol":"json","version":1}␞ → {}␞
            if (await ReadMessageAsync(socket, buffer) is not { } handshake || !handshake.Contains("\"json\"", StringComparison.Ordinal)) return;
            await connection.SendAsync("{}");
            _connections[id] = connection;
            await UpstreamAsync(connection, "connections", "connected", """{"type":10}""");
            using var pings = new CancellationTokenSource();
            _ = PingAsync(connection, pings.Token);
            while (await ReadMessageAsync(socket, buffer) is { } message)
            {
                var node = JsonNode.Parse(message)!;
                var type = (int)node["type"]!;
                if (type == 7) break;
                if (type != 1) continue;
                var target = (string)node["target"]!;
                var invocationId = (string?)node["invocationId"];
                var (status, body) = await UpstreamAsync(connection, "messages", target, message);
                if (invocationId is null) continue;
                var completion = status is 200 && body.Length > 0 ? body.TrimEnd(Rs)
                    : status is 200 or 204 ? JsonSerializer.Serialize(new { type = 3, invocationId })
                    : JsonSerializer.Serialize(new { type = 3, invocationId, error = $"Invocation failed, status code {status}" });
                await connection.SendAsync(completion);
            }
            pings.Cancel();
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            if (_connections.TryRemove(id, out _))
                await UpstreamAsync(connection, "connections", "disconnected", """{"type":11}""");
        }
    }

    private static async Task PingAsync(Connection connection, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(5), ct);
                await connection.SendAsync("""{"type":6}""");
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
        }
    }

    private async Task<(int Status, string Body)> UpstreamAsync(Connection connection, string category, string @event, string body)
    {
        var url = UpstreamTemplate.Replace("{hub}", connection.Hub).Replace("{category}", category).Replace("{event}", @event);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-ASRS-Connection-Id", connection.Id);
        request.Headers.Add("X-ASRS-Hub", connection.Hub);
        request.Headers.Add("X-ASRS-Category", category);
        request.Headers.Add("X-ASRS-Event", @event);
        request.Headers.Add("X-ASRS-Signature", Signature(connection.Id));
        if (connection.UserId is not null) request.Headers.Add("X-ASRS-User-Id", connection.UserId);
        try
        {
            using var response = await _upstream.SendAsync(request);
            _log.Enqueue($"upstream {category}/{@event} {(int)response.StatusCode}");
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        catch (HttpRequestException e)
        {
            _log.Enqueue($"upstream {category}/{@event} failed: {e.Message}");
            return (502, "");
        }
    }

    /// <summary>The service's side of <c>X-ASRS-Signature</c>, computed here rather than borrowed from the app so the
    /// app's check is tested against the documented format: <c>sha256=HEX(HMACSHA256(accessKey, connectionId))</c>.</summary>
    private static string Signature(string connectionId) =>
        "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(AccessKey), Encoding.UTF8.GetBytes(connectionId)));

    private async Task<IResult> SendAsync(HttpRequest request, string hub, string id)
    {
        var url = $"http://127.0.0.1:{_port}/api/v1/hubs/{hub}/connections/{id}";
        if (!await ValidAsync(request.Headers.Authorization, url.Replace($":{_port}", ""))
            && !await ValidAsync(request.Headers.Authorization, url))
            return Results.Json(new { error = "invalid token" }, statusCode: 401);
        using var reader = new StreamReader(request.Body);
        var message = JsonNode.Parse(await reader.ReadToEndAsync())!;
        _log.Enqueue($"rest POST connections {(string)message["target"]!}");
        if (!_connections.TryGetValue(id, out var connection)) return Results.NotFound();
        await connection.SendAsync(JsonSerializer.Serialize(new { type = 1, target = (string)message["target"]!, arguments = message["arguments"] }));
        return Results.Accepted();
    }

    private async Task<IResult> CloseAsync(HttpRequest request, string hub, string id)
    {
        _ = hub;
        _log.Enqueue("rest DELETE connection");
        if (!_connections.TryGetValue(id, out var connection)) return Results.NotFound();
        await connection.Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "closed by the server", CancellationToken.None);
        return Results.Accepted();
    }

    /// <summary>Reads one record-separated message (keeping the rest of a frame for the next call); null at close.</summary>
    private static async Task<string?> ReadMessageAsync(WebSocket socket, StringBuilder buffer)
    {
        var bytes = new byte[16 * 1024];
        while (true)
        {
            var text = buffer.ToString();
            var end = text.IndexOf(Rs);
            if (end >= 0)
            {
                buffer.Remove(0, end + 1);
                return text[..end];
            }
            var result = await socket.ReceiveAsync(bytes, CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close) return null;
            buffer.Append(Encoding.UTF8.GetString(bytes, 0, result.Count));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var c in _connections.Values)
            try { await c.Socket.CloseAsync(WebSocketCloseStatus.EndpointUnavailable, "service stopping", CancellationToken.None); }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException) { }
        await _app.StopAsync().WaitAsync(Timeouts.Short);
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private sealed class Connection(string id, string hub, WebSocket socket, string? userId)
    {
        private readonly SemaphoreSlim _send = new(1, 1);
        public string Id { get; } = id;
        public string Hub { get; } = hub;
        public string? UserId { get; } = userId;
        public WebSocket Socket { get; } = socket;

        public async Task SendAsync(string json)
        {
            await _send.WaitAsync();
            try { await Socket.SendAsync(Encoding.UTF8.GetBytes(json + Rs), WebSocketMessageType.Text, true, CancellationToken.None); }
            finally { _send.Release(); }
        }
    }
}
