namespace ReviewBot.Functions.Configuration;

/// <summary>Reads and validates the ReviewBot YAML file (format: README.md in this folder).</summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; throws <see cref="ConfigException"/> listing every error, with file, line and column.</summary>
    public static ReviewConfig Load(string path)
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

        return Parse(yaml, path);
    }

    /// <summary>Validates <paramref name="yaml"/>; <paramref name="fileName"/> is only used in error messages.</summary>
    public static ReviewConfig Parse(string yaml, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new ConfigErrorList(fileName);
        var document = new ConfigReader(errors).Read(yaml);
        var config = document is null ? null : ConfigResolver.Resolve(document, errors);
        return errors.Any || config is null ? throw errors.ToException() : config;
    }
}
