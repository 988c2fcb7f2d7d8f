using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// A top-level section of the configuration file read by the capability that owns it (<c>jobs:</c> by Jobs,
/// <c>reminders:</c> by Reminders), so Configuration knows no capability's settings. Registered with
/// <see cref="ConfigurationRegistration.AddConfigSection{TSection}"/>; <see cref="ConfigReader"/> hands each its node after
/// the file's own sections (linters, repos, trust) are read, and the value it returns hangs off <see cref="ReviewConfig"/>
/// by its type (<see cref="ReviewConfig.Section{T}"/>; owners expose it as an extension property). A section reports its
/// problems into the same error list, so a file with an error anywhere is refused as a whole.
/// </summary>
public interface IConfigSection
{
    /// <summary>The top-level key, e.g. "jobs".</summary>
    string Name { get; }

    /// <summary>The type of what <see cref="Read"/> returns, the key of the value in <see cref="ReviewConfig"/>.</summary>
    Type ValueType { get; }

    /// <summary>Reads the section; every problem goes to <see cref="ConfigSectionContext"/>'s error list, with its position.
    /// What is returned when there were problems is not used (the whole file is refused).</summary>
    object Read(YamlNode node, ConfigSectionContext context);
}

/// <summary>An <see cref="IConfigSection"/> whose value is a <typeparamref name="T"/>.</summary>
public abstract class ConfigSection<T> : IConfigSection where T : class
{
    public abstract string Name { get; }

    public Type ValueType => typeof(T);

    public abstract T Read(YamlNode node, ConfigSectionContext context);

    object IConfigSection.Read(YamlNode node, ConfigSectionContext context) => Read(node, context);
}

/// <summary>What a section is read with: the load's error list, its <c>${env:NAME}</c> values, and what the file's own
/// sections say that others depend on.</summary>
public sealed class ConfigSectionContext
{
    internal ConfigSectionContext(ConfigErrorList errors, EnvReferences environment, IReadOnlyList<string> scopes)
    {
        Errors = errors;
        Environment = environment;
        Scopes = scopes;
    }

    internal ConfigErrorList Errors { get; }

    public EnvReferences Environment { get; }

    /// <summary>The orgs and repositories the <c>repos:</c> section lists (valid keys, in file order).</summary>
    public IReadOnlyList<string> Scopes { get; }
}
