using ReviewBot.Core.Review;
using ReviewBot.Core.Tasks;
using System.ComponentModel.DataAnnotations;

namespace ReviewBot.Functions.Reporting;

/// <summary>Settings under <c>ReviewBot:Reporting</c>.</summary>
public sealed class ReportingOptions
{
    public const string Section = "ReviewBot:Reporting";

    /// <summary>ReviewBot's public address, for links from check runs and reviews to a task
    /// (<c>https://reviewbot.example.com</c>); no links when unset.</summary>
    public Uri? PublicUrl { get; set; }

    /// <summary>Most line comments one linter run posts; the rest are listed in the review body.</summary>
    [Range(0, 3000)]
    public int MaxComments { get; set; } = 300;

    /// <summary>Publishing attempts for one stage before the report is given up (the error stays on the task).</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First wait after a failed attempt; doubled each time, at most <see cref="MaxRetryDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    [Range(typeof(TimeSpan), "00:00:00", "06:00:00")]
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Tasks published at once (each code host also paces its own writes).</summary>
    [Range(1, 64)]
    public int Parallelism { get; set; } = 4;

    public string? TaskLink(string taskId) => PublicUrl is null ? null : $"{PublicUrl.AbsoluteUri.TrimEnd('/')}/api/tasks/{taskId}";
}
