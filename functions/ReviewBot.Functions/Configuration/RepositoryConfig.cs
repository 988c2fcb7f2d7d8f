namespace ReviewBot.Functions.Configuration;

/// <summary>
/// A repository's own configuration file (<see cref="FileName"/>) laid over the server's configuration, under the
/// server's policy: it may enable and disable the linters the server defines for the repository and set their
/// <c>languages</c>, <c>paths</c>, <c>ignore</c>, <c>modules</c>, <c>moduleMarkers</c>, <c>filter</c>, <c>failOn</c>,
/// <c>report</c>, <c>workDir</c> and <c>format</c>; add <c>args</c> the server's <c>allowedArgs</c> allows; narrow
/// <c>nodeLabels</c> (ANDed with the server's). Defining linters and setting <c>command</c>, <c>env</c> or
/// <c>timeout</c> needs the server's <c>allowRepoCommands: true</c> for the repository or its org; <c>trust</c> and
/// <c>repos</c> are refused; other keys belong to the capabilities' <see cref="IRepositorySection"/>s (<c>jobs</c>). A file with any error is refused as a whole: <see cref="Linters"/> are then
/// the server's.
/// </summary>
/// <param name="Linters">The linters that apply: the file's merge, or the server's when the file has errors.</param>
/// <param name="Errors">Every problem of the file, with its line and column; empty when it applies.</param>
public sealed record RepositoryConfig(IReadOnlyList<ResolvedLinter> Linters, IReadOnlyList<ConfigError> Errors)
{
    public const string FileName = ".reviewbot.yml";

    /// <summary>A larger file is refused unread.</summary>
    public const int MaxChars = 64 * 1024;

    public bool Applies => Errors.Count == 0;

    /// <summary>The file's linter entries as read, when it applies: where each of its values stands
    /// (<see cref="EffectiveConfigResolver"/>).</summary>
    internal IReadOnlyDictionary<string, LinterSpec> File { get; init; } = new Dictionary<string, LinterSpec>();

    /// <summary>The capabilities' sections of the file (<see cref="IRepositorySection"/>), by their value's type; none
    /// when the file is refused.</summary>
    internal IReadOnlyDictionary<Type, object> Sections { get; init; } = new Dictionary<Type, object>();

    /// <summary>The value a capability's section read; null when the file has no such section or is refused.</summary>
    public T? Section<T>() where T : class => Sections.TryGetValue(typeof(T), out var value) ? (T)value : null;

    /// <summary>The server's configuration alone (the repository has no file).</summary>
    public static RepositoryConfig ServerOnly(ReviewConfig server, string repository) => new(server.LintersFor(repository), []);

    /// <summary>The repository's file <paramref name="yaml"/> laid over <paramref name="server"/>'s configuration for
    /// <paramref name="repository"/>; <paramref name="sections"/> read the keys the capabilities own (<c>jobs</c>).</summary>
    public static RepositoryConfig Parse(ReviewConfig server, string repository, string yaml, IReadOnlyList<IRepositorySection>? sections = null)
    {
        if (yaml.Length > MaxChars)
            return new(server.LintersFor(repository), [new ConfigError(FileName, 0, 0, $"the file has {yaml.Length} characters; at most {MaxChars} are read")]);

        var errors = new ConfigErrorList(FileName);
        var policy = ConfigResolver.PolicyFor(server.Document, repository);
        var values = new Dictionary<Type, object>();
        var file = new ConfigReader(errors, [], EnvReferences.Process).ReadRepositoryFile(yaml, policy, sections ?? [], values);
        var linters = file is null ? [] : ConfigResolver.ResolveRepository(server.Document, repository, file, FileName, errors);
        return errors.Any ? new(server.LintersFor(repository), errors.ToException().Errors) : new(linters, []) { File = file!, Sections = values };
    }
}
