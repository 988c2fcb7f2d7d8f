namespace ReviewBot.Functions.Configuration;

/// <summary>The loaded, validated configuration (DESIGN §6). STUB: implementation being written.</summary>
public sealed class ReviewConfig
{
    /// <summary>Enabled linters for a repository ("owner/name", case-insensitive), in name order.</summary>
    public IReadOnlyList<ResolvedLinter> LintersFor(string repository) => throw new NotImplementedException();
}
