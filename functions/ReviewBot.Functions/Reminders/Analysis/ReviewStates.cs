namespace ReviewBot.Functions.Reminders.Analysis;

/// <summary>
/// Review states as the code hosts spell them. GitHub's webhook says <c>approved</c>, its REST and GraphQL APIs say
/// <c>APPROVED</c> (Prow's approve plugin notes the same), so every comparison ignores case.
/// </summary>
public static class ReviewStates
{
    /// <summary>Parses a GitHub review state (<c>APPROVED</c>, <c>changes_requested</c>, <c>COMMENTED</c>, <c>DISMISSED</c>, <c>PENDING</c>), any case.</summary>
    /// <exception cref="FormatException">Not a review state.</exception>
    public static ReviewState Parse(string state) =>
        TryParse(state, out var parsed) ? parsed : throw new FormatException($"'{state}' is not a review state (approved, changes_requested, commented, dismissed, pending).");

    public static bool TryParse(string? state, out ReviewState parsed)
    {
        ReviewState? result = state?.Trim().ToUpperInvariant() switch
        {
            "APPROVED" => ReviewState.Approved,
            "CHANGES_REQUESTED" => ReviewState.ChangesRequested,
            "COMMENTED" => ReviewState.Commented,
            "DISMISSED" => ReviewState.Dismissed,
            "PENDING" => ReviewState.Pending,
            _ => null,
        };
        parsed = result ?? default;
        return result is not null;
    }
}
