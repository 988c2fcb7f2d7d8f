using ReviewBot.Core.Labels;
using YamlDotNet.RepresentationModel;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// A top-level section of a repository's own <see cref="RepositoryConfig.FileName"/> read by the capability that owns
/// it (<c>jobs:</c> by Jobs), as <see cref="IConfigSection"/> is for the server's file. Registered as a singleton
/// <see cref="IRepositorySection"/>; <see cref="RepositoryConfig.Parse"/> hands each its node with the server's policy
/// for the repository. Its problems go into the file's error list: an error anywhere refuses the whole file.
/// </summary>
public interface IRepositorySection
{
    /// <summary>The top-level key, e.g. "jobs".</summary>
    string Name { get; }

    /// <summary>The type of what <see cref="Read"/> returns, the key of the value in <see cref="RepositoryConfig"/>.</summary>
    Type ValueType { get; }

    object Read(YamlNode node, RepositorySectionContext context);
}

/// <summary>What a repository file's section is read with: the file's error list and what the server allows the repository.</summary>
public sealed class RepositorySectionContext
{
    internal RepositorySectionContext(ConfigErrorList errors, RepositoryPolicy policy)
    {
        Errors = errors;
        Repository = policy.Repository;
        AllowCommands = policy.AllowCommands;
        NodeLabels = policy.NodeLabels;
    }

    internal ConfigErrorList Errors { get; }

    /// <summary>"owner/name": the one repository the file configures.</summary>
    public string Repository { get; }

    /// <summary>The server's <c>allowRepoCommands</c> for the repository or its org.</summary>
    public bool AllowCommands { get; }

    /// <summary>The org's and repository's <c>nodeLabels</c> of the server's file, ANDed (<see cref="LabelFilter.AndText"/>);
    /// "" = none. What the repository's work may run on is narrowed by it.</summary>
    public string NodeLabels { get; }
}
