namespace ReviewBot.Functions.Configuration;

/// <summary>Where the YAML file is. Bound from the "ReviewBot" section, so the environment variable is <c>ReviewBot__ConfigPath</c>.</summary>
public sealed class ConfigOptions
{
    public const string Section = "ReviewBot";

    /// <summary>Path of the YAML file, absolute or relative to the content root. Unset: no linters run (a warning is logged).</summary>
    public string? ConfigPath { get; set; }
}
