namespace ReviewBot.Functions.Hosting.Http;

/// <summary>The <c>Idempotency-Key</c> header of a request that creates something: a retried request with the same key
/// returns what the first one made instead of making another.</summary>
public static class IdempotencyKey
{
    /// <summary>The header's value (a new random key when absent); a 400 problem when it is empty or longer than 200 characters.</summary>
    public static IResult? Read(HttpRequest request, out string key)
    {
        key = request.Headers["Idempotency-Key"].FirstOrDefault() ?? Guid.NewGuid().ToString("N");
        return key.Length is 0 or > 200
            ? TypedResults.Problem(statusCode: 400, title: "Invalid header", detail: "Idempotency-Key must have 1 to 200 characters.",
                extensions: new Dictionary<string, object?> { ["field"] = "Idempotency-Key" })
            : null;
    }
}
