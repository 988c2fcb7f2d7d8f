using System.Text;

namespace ReviewBot.Functions.Configuration;

/// <summary>Reads and validates the ReviewBot YAML file (format: README.md in this folder).</summary>
public static class ConfigLoader
{
    /// <summary>Loads <paramref name="path"/>; throws <see cref="ConfigException"/> listing every error, with file, line and column.</summary>
    /// <param name="environment">Values of <c>${env:NAME}</c> references; the process environment when null.</param>
    /// <param name="maxBytes">A larger file is refused before it is parsed (<see cref="ConfigOptions.ConfigMaxBytes"/>).</param>
    /// <param name="sections">The capabilities' sections (<c>jobs:</c>, <c>reminders:</c>…); a top-level key none of them
    /// names is an error.</param>
    public static ReviewConfig Load(
        string path, Func<string, string?>? environment = null, int maxBytes = ConfigOptions.DefaultMaxBytes, IEnumerable<IConfigSection>? sections = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        string yaml;
        try
        {
            yaml = ReadCapped(path, maxBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException([new ConfigError(path, 0, 0, $"cannot read the configuration file: {ex.Message}")]);
        }

        return Parse(yaml, path, environment, sections);
    }

    /// <summary>The file's text, read up to <paramref name="maxBytes"/> whatever the file claims to be (a pipe or a device
    /// has no length); BOMs are honoured as <see cref="File.ReadAllText(string)"/> does.</summary>
    private static string ReadCapped(string path, int maxBytes)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (file.CanSeek && file.Length > maxBytes) throw TooLarge(path, maxBytes, file.Length);
        var bytes = new MemoryStream();
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = file.Read(buffer)) > 0)
        {
            if (bytes.Length + read > maxBytes) throw TooLarge(path, maxBytes, null);
            bytes.Write(buffer, 0, read);
        }
        bytes.Position = 0;
        using var reader = new StreamReader(bytes, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static ConfigException TooLarge(string path, int maxBytes, long? length) =>
        new([new ConfigError(path, 0, 0, $"the configuration file is {(length is { } n ? $"{n} bytes" : "larger than that")}; at most {maxBytes} bytes are read (setting ReviewBot:ConfigMaxBytes)")]);

    /// <summary>Validates <paramref name="yaml"/>; <paramref name="fileName"/> is only used in error messages. An error in
    /// any section refuses the whole file.</summary>
    /// <inheritdoc cref="Load" path="/param[@name='environment' or @name='sections']"/>
    public static ReviewConfig Parse(string yaml, string fileName, Func<string, string?>? environment = null, IEnumerable<IConfigSection>? sections = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new ConfigErrorList(fileName);
        var references = environment is null ? EnvReferences.Process : new EnvReferences(environment);
        var document = new ConfigReader(errors, [.. sections ?? []], references).Read(yaml) is { } read ? read with { FileName = fileName } : null;
        var config = document is null ? null : ConfigResolver.Resolve(document, errors);
        return errors.Any || config is null ? throw errors.ToException() : config;
    }
}
