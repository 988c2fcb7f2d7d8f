using System.Collections.Frozen;

namespace ReviewBot.Functions.Configuration;

/// <summary>
/// The loaded, validated configuration (DESIGN §6). Immutable and thread-safe: every configured org and repository is resolved
/// at load (see <see cref="ConfigResolver"/>), so <see cref="LintersFor"/> is a lookup. Build one with <see cref="ConfigLoader"/>.
/// </summary>
public sealed class ReviewConfig
{
    private readonly IReadOnlyList<ResolvedLinter> _global;
    private readonly FrozenDictionary<string, IReadOnlyList<ResolvedLinter>> _byScope;

    internal ReviewConfig(
        IReadOnlyList<ResolvedLinter> global,
        IReadOnlyDictionary<string, IReadOnlyList<ResolvedLinter>> byScope,
        IReadOnlyList<string> linterNames)
    {
        _global = global;
        _byScope = byScope.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        LinterNames = linterNames;
    }

    /// <summary>No linters at all: what runs when no configuration file is set.</summary>
    public static ReviewConfig Empty { get; } = new([], new Dictionary<string, IReadOnlyList<ResolvedLinter>>(), []);

    /// <summary>The orgs and repositories the <c>repos:</c> section lists (what a job's repository is checked against).</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>The file as read, before overrides: what a repository's own file is laid over (<see cref="RepositoryConfig"/>).</summary>
    internal ConfigDocument Document { get; init; } = ConfigDocument.Empty;

    /// <summary>The capabilities' sections the file has (<see cref="IConfigSection"/>), by their value's type.</summary>
    internal IReadOnlyDictionary<Type, object> Sections { get; init; } = new Dictionary<Type, object>();

    /// <summary>The value a capability's section read (<see cref="ConfigSection{T}"/>); null when the file has no such
    /// section. Owners wrap it in an extension property with their default (e.g. <c>config.Jobs</c>).</summary>
    public T? Section<T>() where T : class => Sections.TryGetValue(typeof(T), out var value) ? (T)value : null;

    /// <summary>The trust policy of each configured org and repository (levels resolved), and of everything else.</summary>
    internal IReadOnlyDictionary<string, Trust.TrustPolicy> TrustByScope { get; init; } = new Dictionary<string, Trust.TrustPolicy>();
    internal Trust.TrustPolicy GlobalTrust { get; init; } = Trust.TrustPolicy.Default;

    /// <summary>The trust policy for a repository ("owner/name", case-insensitive): its own section's, else its org's,
    /// else the top-level <c>trust:</c>, else <see cref="Trust.TrustPolicy.Default"/>; resolved field by field.</summary>
    public Trust.TrustPolicy TrustFor(string repository)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        if (TrustByScope.TryGetValue(repository, out var policy)) return policy;
        var slash = repository.IndexOf('/');
        return slash > 0 && TrustByScope.TryGetValue(repository[..slash], out policy) ? policy : GlobalTrust;
    }

    /// <summary>Every linter name the file defines or overrides, at any level, enabled or not, in name order (for a status page).</summary>
    public IReadOnlyList<string> LinterNames { get; }

    /// <summary>Enabled linters for a repository ("owner/name", case-insensitive), in name order.</summary>
    /// <remarks>The repository's own section wins, else its org's section, else the global linters.</remarks>
    public IReadOnlyList<ResolvedLinter> LintersFor(string repository)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(repository);
        if (_byScope.TryGetValue(repository, out var linters))
        {
            return linters;
        }

        var slash = repository.IndexOf('/');
        return slash > 0 && _byScope.TryGetValue(repository[..slash], out linters) ? linters : _global;
    }
}
