using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace ReviewBot.Tests.Architecture;

/// <summary>Every options class of the app has a validator and is validated when the host starts, so a bad setting
/// stops the app at start instead of failing the first request that reads it.</summary>
public class OptionsValidationTests
{
    [Fact]
    public async Task EveryOptionsClassIsValidatedAtStart()
    {
        List<Type> options = [], withoutValidator = [];
        var validatedAtStart = new ConcurrentDictionary<Type, bool>();
        await using var app = ReviewBot.Functions.Program.Build([], b =>
        {
            options = [.. OptionsClasses(b.Services)];
            withoutValidator = [.. options.Where(t => !b.Services.Any(d => d.ServiceType == typeof(IValidateOptions<>).MakeGenericType(t)))];
            foreach (var t in options)
                b.Services.AddSingleton(typeof(IValidateOptions<>).MakeGenericType(t), Activator.CreateInstance(typeof(Recorder<>).MakeGenericType(t), validatedAtStart)!);
        });

        // What the host runs at start (ValidateOnStart registers each options class with it).
        try { app.Services.GetRequiredService<IStartupValidator>().Validate(); }
        catch (Exception e) when (e is OptionsValidationException or AggregateException) { } // the empty configuration breaks some rules; every validator ran

        Assert.NotEmpty(options);
        Assert.True(withoutValidator.Count == 0, $"no validator (ValidateDataAnnotations, Validate or IValidateOptions): {string.Join(", ", withoutValidator.Select(t => t.Name))}");
        var notAtStart = options.Where(t => !validatedAtStart.ContainsKey(t)).ToList();
        Assert.True(notAtStart.Count == 0, $"not validated at start (ValidateOnStart): {string.Join(", ", notAtStart.Select(t => t.Name))}");
    }

    /// <summary>Our classes configured through the options pattern (BindConfiguration, Configure, PostConfigure…).</summary>
    private static IEnumerable<Type> OptionsClasses(IServiceCollection services) => services
        .Select(d => d.ServiceType)
        .Where(t => t.IsGenericType && t.GetGenericTypeDefinition() is var g
            && (g == typeof(IConfigureOptions<>) || g == typeof(IPostConfigureOptions<>) || g == typeof(IOptionsChangeTokenSource<>)))
        .Select(t => t.GetGenericArguments()[0])
        .Where(t => t.Namespace?.StartsWith("ReviewBot.", StringComparison.Ordinal) == true)
        .Distinct();

    private sealed class Recorder<T>(ConcurrentDictionary<Type, bool> validated) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            validated[typeof(T)] = true;
            return ValidateOptionsResult.Skip;
        }
    }
}
