namespace ReviewBot.Contracts.Findings;

public enum Severity { Info, Warning, Error }

/// <summary>One linter finding. Paths are relative to the repository root, '/' separated.
/// Line and column are 1-based; 0 (or null) means unknown.</summary>
public sealed record Finding(
    string File,
    int Line,
    int? Column,
    int? EndLine,
    Severity Severity,
    string? Rule,
    string Message);
