using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace ReviewBot.Functions.Configuration;

public static class ConfigurationRegistration
{
    /// <summary>Registers <see cref="ReviewConfig"/> as a singleton loaded from <see cref="ConfigOptions.ConfigPath"/> at start.</summary>
    public static WebApplicationBuilder AddReviewConfiguration(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConfigOptions>().BindConfiguration(ConfigOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(Load);

        // ${env:NAME} in the file: any configuration source (environment variables, command line, user secrets).
        builder.Services.AddSingleton(services =>
        {
            var settings = services.GetRequiredService<IConfiguration>();
            return new EnvReferences(name => settings[name]);
        });

        // Eager: the host builds its hosted services before starting any of them (and before Kestrel), and this one needs
        // ReviewConfig, so an invalid file stops the app at start with every error instead of failing the first webhook.
        builder.Services.AddHostedService<ReviewConfigStartupCheck>();
        return builder;
    }

    private static ReviewConfig Load(IServiceProvider services)
    {
        var logger = services.GetRequiredService<ILogger<ReviewConfig>>();
        var options = services.GetRequiredService<IOptions<ConfigOptions>>().Value;
        var path = options.ConfigPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            ConfigurationLog.ConfigPathNotSet(logger, $"{ConfigOptions.Section}__{nameof(ConfigOptions.ConfigPath)}");
            return ReviewConfig.Empty;
        }

        path = Path.GetFullPath(path, services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        try
        {
            var environment = services.GetRequiredService<EnvReferences>();
            var sections = services.GetServices<IConfigSection>();
            var config = ConfigLoader.Load(path, environment.ValueOf, options.ConfigMaxBytes, sections);
            ConfigurationLog.ConfigLoaded(logger, path, config.LinterNames.Count);
            return config;
        }
        catch (ConfigException ex)
        {
            ConfigurationLog.ConfigInvalid(logger, path, ex.Errors.Count, ex.Message);
            throw;
        }
    }

    /// <summary>Registers a capability's section of the file (<see cref="IConfigSection"/>); sections are listed in the
    /// order they are registered.</summary>
    public static IServiceCollection AddConfigSection<TSection>(this IServiceCollection services) where TSection : class, IConfigSection
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigSection, TSection>());
        return services;
    }

    /// <summary>The exit code of a process whose configuration file is invalid (as for a command-line usage error).</summary>
    public const int InvalidConfigurationExitCode = 2;

    /// <summary>Loads the configuration before the host starts. False when the file is invalid: its errors, one
    /// <c>file:line:col: message</c> per line, are written to <paramref name="stderr"/>, without a stack trace, and the
    /// caller ends the process with <see cref="InvalidConfigurationExitCode"/>.</summary>
    public static bool LoadsAtStart(IServiceProvider services, TextWriter stderr)
    {
        try
        {
            services.GetRequiredService<ReviewConfig>();
            return true;
        }
        catch (ConfigException ex)
        {
            stderr.WriteLine($"ReviewBot cannot start: the configuration has {ex.Errors.Count} error(s):");
            foreach (var error in ex.Errors) stderr.WriteLine(error);
            return false;
        }
        catch (OptionsValidationException ex)
        {
            stderr.WriteLine($"ReviewBot cannot start: {ex.Message}");
            return false;
        }
    }

    /// <summary>Does nothing itself: being constructed at host start is what loads (and validates) the configuration.</summary>
    private sealed class ReviewConfigStartupCheck(ReviewConfig config) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            GC.KeepAlive(config);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
