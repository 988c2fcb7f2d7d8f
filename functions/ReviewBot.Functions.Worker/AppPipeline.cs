using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;

namespace ReviewBot.Functions.Worker;

/// <summary>
/// The app's server inside the worker: it opens no socket and keeps the app's request pipeline (the
/// <see cref="IHttpApplication{TContext}"/> the web host hands to its server) for <see cref="HttpFunction"/>. A request
/// runs on the worker's own connection: a feature layer over the worker's features shares the request, the response
/// and the connection, while routing, request services and everything else the app's middleware sets stay in the layer
/// (the worker has already routed the request to the function and scoped it to the worker's container).
/// </summary>
public sealed class AppPipeline(IServiceScopeFactory scopes) : IServer
{
    private Func<IFeatureCollection, Task>? _process;

    public IFeatureCollection Features { get; } = new FeatureCollection();

    public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull
    {
        _process = async features =>
        {
            var context = application.CreateContext(features);
            Exception? error = null;
            try { await application.ProcessRequestAsync(context); }
            catch (Exception e) { error = e; throw; }
            finally { application.DisposeContext(context, error); }
        };
        return Task.CompletedTask;
    }

    /// <summary>Runs the app's pipeline for a request the worker received (the HTTP function's request).</summary>
    public async Task ProcessAsync(HttpContext outer)
    {
        var process = _process ?? throw new InvalidOperationException("The app has not started: it is started before the worker connects to the host.");
        var layer = new FeatureCollection(outer.Features);
        layer.Set<IEndpointFeature>(new Routing());
        layer.Set<IRouteValuesFeature>(layer.Get<IEndpointFeature>() as Routing);
        await using var scope = new RequestScope(scopes);
        layer.Set<IServiceProvidersFeature>(scope);
        await process(layer);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() { }

    /// <summary>Fresh routing state, so the app's own routing matches its endpoints.</summary>
    private sealed class Routing : IEndpointFeature, IRouteValuesFeature
    {
        public Endpoint? Endpoint { get; set; }
        public RouteValueDictionary RouteValues { get; set; } = [];
    }

    /// <summary>A request scope of the app's container.</summary>
    private sealed class RequestScope(IServiceScopeFactory scopes) : IServiceProvidersFeature, IAsyncDisposable
    {
        private readonly AsyncServiceScope _scope = scopes.CreateAsyncScope();
        private IServiceProvider? _services;

        public IServiceProvider RequestServices { get => _services ?? _scope.ServiceProvider; set => _services = value; }

        public ValueTask DisposeAsync() => _scope.DisposeAsync();
    }
}
