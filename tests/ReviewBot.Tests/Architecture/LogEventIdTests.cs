using System.Reflection;
using Microsoft.Extensions.Logging;

namespace ReviewBot.Tests.Architecture;

/// <summary>An EventId names one message, so logs can be filtered and alerted on by id.</summary>
public class LogEventIdTests
{
    [Fact]
    public void EveryLogMessageHasItsOwnEventId() => Assert.All(new[] { Assemblies.Functions, Assemblies.Core, Assemblies.Agent }, assembly =>
    {
        var messages = assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance))
            .Select(m => (Method: $"{m.DeclaringType!.Name}.{m.Name}", Attribute: m.GetCustomAttribute<LoggerMessageAttribute>()!))
            .Where(m => m.Attribute is not null)
            .ToList();
        var missing = messages.Where(m => m.Attribute.EventId < 0).Select(m => m.Method).ToList();
        Assert.True(missing.Count == 0, $"{assembly.GetName().Name}: no EventId on {string.Join(", ", missing)}");
        var shared = messages.Where(m => m.Attribute.EventId >= 0).GroupBy(m => m.Attribute.EventId)
            .Where(g => g.Select(m => m.Attribute.Message).Distinct().Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(m => m.Method))}").ToList();
        Assert.True(shared.Count == 0, $"{assembly.GetName().Name}: EventIds shared by different messages:\n{string.Join("\n", shared)}");
    });
}
