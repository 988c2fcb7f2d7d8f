namespace ReviewBot.Functions.CodeHosts.GitHub.Reporting;

/// <summary>"owner/name" split for API paths.</summary>
public readonly record struct RepoName(string Owner, string Name)
{
    public static RepoName Parse(string fullName)
    {
        var slash = fullName.IndexOf('/');
        if (slash <= 0 || slash == fullName.Length - 1)
            throw new ArgumentException($"'{fullName}' is not an owner/name repository.", nameof(fullName));
        return new(fullName[..slash], fullName[(slash + 1)..]);
    }

    public string Path => $"repos/{Uri.EscapeDataString(Owner)}/{Uri.EscapeDataString(Name)}";
}
