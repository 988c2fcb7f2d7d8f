namespace ReviewBot.Functions.Configuration;

/// <summary>One problem in the configuration file.</summary>
/// <param name="Line">1-based; 0 when the problem has no position (the file cannot be read).</param>
/// <param name="Column">1-based; 0 when the problem has no position.</param>
public sealed record ConfigError(string File, int Line, int Column, string Message)
{
    /// <summary>"file:line:column: message", the form compilers use, so editors can jump to it.</summary>
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}

/// <summary>The configuration is invalid. <see cref="Exception.Message"/> lists every error, one per line.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception(string.Join('\n', errors))
{
    /// <summary>All errors found, in file order.</summary>
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
