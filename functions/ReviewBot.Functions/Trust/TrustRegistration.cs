using ReviewBot.Functions.CodeHosts.GitHub.Trust;
using ReviewBot.Functions.CodeHosts.GitLab.Trust;

namespace ReviewBot.Functions.Trust;

public static class TrustRegistration
{
    /// <summary>The trust gate of pull requests (decision, approvals, the webhook handlers of <c>/ok-to-test</c>).</summary>
    public static IServiceCollection AddTrust(this IServiceCollection services)
    {
        services.AddSingleton<ApprovalStore>();
        services.AddSingleton<TrustGate>();
        services.AddSingleton<Approver>();
        services.AddSingleton<OkToTestIngest>();
        // Transient like the GitLab API client they use (GitLab/GitLabRegistration.cs).
        services.AddTransient<GitLabMembers>();
        services.AddTransient<OkToTestNoteIngest>();
        return services;
    }
}
