using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Configuration;

/// <summary>Where the YAML file is. Bound from the "ReviewBot" section, so the environment variable is <c>ReviewBot__ConfigPath</c>.</summary>
public sealed class ConfigOptions
{
    public const string Section = "ReviewBot";

    /// <summary>The default of <see cref="ConfigMaxBytes"/>: 4 MiB, hundreds of times a large real file.</summary>
    public const int DefaultMaxBytes = 4 * 1024 * 1024;

    /// <summary>How deep mappings and sequences may nest. A real file needs under ten levels; YamlDotNet builds its
    /// tree recursively, so without a cap a deep enough file overflows the stack and kills the process.</summary>
    public const int MaxNesting = 64;

    /// <summary>Path of the YAML file, absolute or relative to the content root. Unset: no linters run (a warning is logged).</summary>
    public string? ConfigPath { get; set; }

    /// <summary>Largest configuration file read; a larger one is refused at start, before it is parsed.</summary>
    [Range(1024, 256 * 1024 * 1024)]
    public int ConfigMaxBytes { get; set; } = DefaultMaxBytes;
}
