using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace ReviewBot.Functions.Worker;

/// <summary>
/// Every endpoint of the app under <c>/api</c>, as one function: the host routes <c>api/{*path}</c> (routePrefix
/// <c>api</c> from host.json) with any method here, and the app's own endpoint table, middleware, authentication,
/// limits and problem details answer (<see cref="AppPipeline"/>). One function rather than one per resource: the app's
/// route table stays the only one, so an endpoint a feature maps is reachable under Azure with nothing else to do.
/// Authorization level anonymous: the app checks signatures, API keys and agent tokens itself.
/// </summary>
public sealed class HttpFunction(AppPipeline app)
{
    public const string Name = "http";

    [Function(Name)]
    public async Task<IActionResult> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequest request)
    {
        await app.ProcessAsync(request.HttpContext);
        // The app has written the response; nothing is left for the worker to write.
        return new EmptyResult();
    }
}
