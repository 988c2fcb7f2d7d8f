using Microsoft.AspNetCore.Http.HttpResults;
using static ReviewBot.Functions.Hosting.Http.Problems;

namespace ReviewBot.Functions.Hosting.Http;

/// <summary>The <c>Idempotency-Key</c> header of a request that creates something: a retried request with the same key
/// returns what the first one made instead of making another.</summary>
public static class IdempotencyKey
{
    /// <summary>The header's value (at most 200 characters), else a fresh id; a 400 problem when it is empty or longer.</summary>
    public static ProblemHttpResult? Read(HttpRequest request, out string key)
    {
        key = request.Headers["Idempotency-Key"].FirstOrDefault() ?? Guid.NewGuid().ToString("N");
        return key.Length is 0 or > 200 ? Problem(400, "Invalid header", "Idempotency-Key must have 1 to 200 characters.", "Idempotency-Key") : null;
    }
}
