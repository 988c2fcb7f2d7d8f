using ReviewBot.Functions.Dashboard;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.SignalR;

namespace ReviewBot.Functions.Hosting.Functions;

/// <summary>Marks an endpoint that is not a function of the package, with the reason (read by <see cref="FunctionsManifest"/>).</summary>
public sealed record ExcludedFromFunctions(string Reason);

/// <summary>One function of the package: its folder name and its function.json.</summary>
public sealed record FunctionDefinition(string Name, JsonObject Json)
{
    public string Text => Json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
}

/// <summary>An endpoint of the app that the package leaves out, and why.</summary>
public sealed record SkippedEndpoint(string Display, string Reason);

/// <summary>
/// The function.json set of the custom-handler package, generated from the app itself: one <c>httpTrigger</c> function
/// per HTTP endpoint under <c>/api</c> (route without the <c>api/</c> prefix, which host.json's routePrefix adds back;
/// authLevel anonymous, since the app authenticates itself) and one <c>timerTrigger</c> per registered
/// <see cref="TimerFunction"/>. SignalR hub endpoints are left out: WebSockets do not reach a function app, Azure
/// SignalR Service replaces the in-process hub there. Any other endpoint outside <c>/api</c> is an error unless it is
/// marked with <see cref="EndpointExclusions.ExcludeFromFunctions{T}"/>.
/// </summary>
public static class FunctionsManifest
{
    public const string RoutePrefix = "api";

    public static (IReadOnlyList<FunctionDefinition> Functions, IReadOnlyList<SkippedEndpoint> Skipped) Build(WebApplication app)
    {
        var endpoints = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>().ToList();
        var timers = app.Services.GetServices<TimerFunction>().ToList();
        return Build(endpoints, timers);
    }

    public static (IReadOnlyList<FunctionDefinition> Functions, IReadOnlyList<SkippedEndpoint> Skipped) Build(IEnumerable<RouteEndpoint> endpoints, IEnumerable<TimerFunction> timers)
    {
        var functions = new List<FunctionDefinition>();
        var skipped = new List<SkippedEndpoint>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var problems = new List<string>();
        foreach (var e in endpoints.OrderBy(e => e.RoutePattern.RawText, StringComparer.Ordinal).ThenBy(e => string.Join(",", Methods(e)), StringComparer.Ordinal))
        {
            var display = $"{string.Join(",", Methods(e).DefaultIfEmpty("ANY"))} {e.RoutePattern.RawText}";
            if (e.Metadata.GetMetadata<ExcludedFromFunctions>() is { } excluded) { skipped.Add(new(display, excluded.Reason)); continue; }
            if (e.Metadata.GetMetadata<HubMetadata>() is not null)
            {
                skipped.Add(new(display, "SignalR hub: WebSockets do not reach a function app; Azure SignalR Service (serverless) replaces the hub there"));
                continue;
            }
            var route = Route(e.RoutePattern);
            if (route is null)
            {
                problems.Add($"{display}: outside /{RoutePrefix}, so no function can expose it (host.json's routePrefix is \"{RoutePrefix}\"); " +
                             "move it under /api or mark it .ExcludeFromFunctions(\"why\")");
                continue;
            }
            var methods = Methods(e).Select(m => m.ToLowerInvariant()).ToList();
            var name = Unique(NameFor(methods, route), names);
            var trigger = new JsonObject
            {
                ["type"] = "httpTrigger", ["direction"] = "in", ["name"] = "req", ["authLevel"] = "anonymous",
                ["route"] = route,
            };
            if (methods.Count > 0) trigger["methods"] = new JsonArray([.. methods.Select(m => (JsonNode)m)]);
            functions.Add(new(name, new JsonObject
            {
                ["bindings"] = new JsonArray(trigger, new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
            }));
        }
        foreach (var t in timers.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            if (!names.Add(t.Name)) { problems.Add($"timer '{t.Name}': its name is also the name of an HTTP function"); continue; }
            functions.Add(new(t.Name, new JsonObject
            {
                ["bindings"] = new JsonArray(new JsonObject
                {
                    ["type"] = "timerTrigger", ["direction"] = "in", ["name"] = CustomHandler.TimerBinding,
                    ["schedule"] = t.Schedule, ["runOnStartup"] = false, ["useMonitor"] = true,
                }),
            }));
        }
        if (problems.Count > 0) throw new InvalidOperationException("The function package cannot cover every endpoint:\n  " + string.Join("\n  ", problems));
        return (functions, skipped);
    }

    /// <summary>Writes <c>{dir}/{name}/function.json</c> for every function, after removing folders of functions that no longer exist
    /// (any sub-folder of <paramref name="dir"/> holding only a function.json).</summary>
    public static IReadOnlyList<FunctionDefinition> Emit(WebApplication app, string dir, TextWriter report)
    {
        var (functions, skipped) = Build(app);
        Directory.CreateDirectory(dir);
        foreach (var old in Directory.EnumerateDirectories(dir))
            if (Directory.EnumerateFileSystemEntries(old).Select(Path.GetFileName).SequenceEqual(["function.json"]))
                Directory.Delete(old, recursive: true);
        foreach (var f in functions)
        {
            Directory.CreateDirectory(Path.Combine(dir, f.Name));
            File.WriteAllText(Path.Combine(dir, f.Name, "function.json"), f.Text, new UTF8Encoding(false));
            report.WriteLine($"function {f.Name}");
        }
        foreach (var s in skipped) report.WriteLine($"skipped  {s.Display}: {s.Reason}");
        return functions;
    }

    /// <summary>The function route for a pattern under /api (without the prefix), or null when it is outside /api.</summary>
    public static string? Route(RoutePattern pattern)
    {
        var parts = new List<string>();
        foreach (var segment in pattern.PathSegments)
        {
            var text = new StringBuilder();
            foreach (var part in segment.Parts)
            {
                switch (part)
                {
                    case RoutePatternLiteralPart l: text.Append(l.Content); break;
                    case RoutePatternSeparatorPart s: text.Append(s.Content); break;
                    case RoutePatternParameterPart p:
                        text.Append('{').Append(p.IsCatchAll ? "*" : "").Append(p.Name);
                        foreach (var c in p.ParameterPolicies) if (c.Content is { } content) text.Append(':').Append(content);
                        if (p.IsOptional) text.Append('?');
                        text.Append('}');
                        break;
                }
            }
            parts.Add(text.ToString());
        }
        if (parts.Count == 0 || !string.Equals(parts[0], RoutePrefix, StringComparison.OrdinalIgnoreCase) || parts.Count == 1) return null;
        return string.Join('/', parts.Skip(1));
    }

    /// <summary>A stable, valid function name: methods and route, e.g. <c>get_api_tasks_id</c>.</summary>
    public static string NameFor(IReadOnlyList<string> methods, string route)
    {
        var name = new StringBuilder(methods.Count == 0 ? "any" : string.Join('_', methods));
        name.Append('_').Append(RoutePrefix);
        foreach (var segment in route.Split('/'))
        {
            var clean = new StringBuilder();
            var inConstraint = false;
            foreach (var c in segment)
            {
                if (c == ':') inConstraint = true;
                else if (c == '}') inConstraint = false;
                else if (!inConstraint && char.IsAsciiLetterOrDigit(c)) clean.Append(char.ToLowerInvariant(c));
                else if (!inConstraint && clean.Length > 0 && clean[^1] != '_' && c is '-' or '.' or '_') clean.Append('_');
            }
            if (clean.Length > 0) name.Append('_').Append(clean.ToString().Trim('_'));
        }
        var result = name.ToString();
        return result.Length <= 120 ? result : result[..120];
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        var candidate = name;
        for (var i = 2; !taken.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }

    private static IReadOnlyList<string> Methods(Endpoint e) =>
        e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal).ToList() ?? [];
}

public static class EndpointExclusions
{
    /// <summary>Leaves this endpoint out of the Functions package (it is not reachable through the Functions host), saying why.</summary>
    public static T ExcludeFromFunctions<T>(this T builder, string reason) where T : IEndpointConventionBuilder
    {
        builder.Add(b => b.Metadata.Add(new ExcludedFromFunctions(reason)));
        return builder;
    }
}
