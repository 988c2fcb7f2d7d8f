using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;
namespace ReviewBot.Functions.Trust;

/// <summary>What happens to a pull request from a fork whose author is not trusted (the <c>trust.forks</c> setting).</summary>
public enum ForkPolicy
{
    /// <summary>Nothing runs until a trusted person approves (<c>/ok-to-test</c> or the label); then it runs untrusted.</summary>
    RequireApproval,

    /// <summary>Runs at once, untrusted: no clone token, no secrets, only on agents matching <see cref="TrustPolicy.NodeLabels"/>.</summary>
    RunUntrusted,

    /// <summary>Fork pull requests are treated like branches of the repository itself (credentials included). Only for
    /// repositories whose forks belong to people the owners trust, such as a private repository's.</summary>
    Trusted,
}

/// <summary>Whether an approval of an untrusted pull request outlives the commit it was given for (<c>trust.untrusted</c>).</summary>
public enum UntrustedPolicy
{
    /// <summary>Every new push needs its own approval (the commit approved is the one that runs).</summary>
    ApproveEveryPush,

    /// <summary>After the first approval, later pushes to the same pull request run without asking again (as Prow's
    /// <c>ok-to-test</c> label does). Still untrusted: no credentials, sandbox routing.</summary>
    TrustAfterFirstApproval,
}

/// <summary>
/// A repository's trust policy (the <c>trust:</c> section of the configuration, top level, then org, then repository,
/// field by field). Trusted authors (GitHub <c>author_association</c> OWNER, MEMBER or COLLABORATOR; GitLab access level
/// Developer or more) and branches of the repository itself always run with credentials; the policy says what happens to
/// everyone else's pull requests from forks.
/// </summary>
/// <param name="OkToTest">The comment command that approves, alone on a line (default <c>/ok-to-test</c>).</param>
/// <param name="Label">A label whose addition by someone with write access approves; null: labels do not approve.</param>
/// <param name="NodeLabels">A label filter ANDed with the linter's for untrusted work ("" = the linter's alone).</param>
public sealed record TrustPolicy(ForkPolicy Forks, UntrustedPolicy Untrusted, string OkToTest, string? Label, string NodeLabels)
{
    public const string DefaultCommand = "/ok-to-test";

    /// <summary>Untrusted fork pull requests wait for <c>/ok-to-test</c>, every push again; no label; any agent.</summary>
    public static TrustPolicy Default { get; } = new(ForkPolicy.RequireApproval, UntrustedPolicy.ApproveEveryPush, DefaultCommand, null, "");

    public static string Name(ForkPolicy p) => p switch
    {
        ForkPolicy.RequireApproval => "require-approval",
        ForkPolicy.RunUntrusted => "run-untrusted",
        _ => "trusted",
    };

    public static string Name(UntrustedPolicy p) => p == UntrustedPolicy.ApproveEveryPush ? "approve-every-push" : "trust-after-first-approval";

    public static readonly string[] ForkNames = [.. Enum.GetValues<ForkPolicy>().Select(Name)];
    public static readonly string[] UntrustedNames = [.. Enum.GetValues<UntrustedPolicy>().Select(Name)];

    public static bool TryParse(string text, out ForkPolicy policy)
    {
        policy = Enum.GetValues<ForkPolicy>().FirstOrDefault(p => string.Equals(Name(p), text.Trim(), StringComparison.OrdinalIgnoreCase));
        return ForkNames.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase);
    }

    public static bool TryParse(string text, out UntrustedPolicy policy)
    {
        policy = Enum.GetValues<UntrustedPolicy>().FirstOrDefault(p => string.Equals(Name(p), text.Trim(), StringComparison.OrdinalIgnoreCase));
        return UntrustedNames.Contains(text.Trim(), StringComparer.OrdinalIgnoreCase);
    }
}
