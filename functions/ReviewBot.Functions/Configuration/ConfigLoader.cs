namespace ReviewBot.Functions.Configuration;

/// <summary>Reads and validates the ReviewBot YAML file (format: README.md in this folder).</summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; throws <see cref="ConfigException"/> listing every error, with file, line and column.</summary>
    /// <param name="environment">Values of <c>${env:NAME}</c> job secrets; the process environment when null.</param>
    public static ReviewConfig Load(string path, Func<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string yaml;
        try
        {
            yaml = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(path, 0, 0, $"cannot read the configuration file: {ex.Message}")]);
        }

        return Parse(yaml, path, environment);
    }

    /// <summary>Validates <paramref name="yaml"/>; <paramref name="fileName"/> is only used in error messages.</summary>
    public static ReviewConfig Parse(string yaml, string fileName, Func<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new ConfigErrorList(fileName);
        var document = new ConfigReader(errors, environment ?? Environment.GetEnvironmentVariable).Read(yaml);
        var config = document is null ? null : ConfigResolver.Resolve(document, errors);
        return errors.Any || config is null ? throw errors.ToException() : config;
    }
}
