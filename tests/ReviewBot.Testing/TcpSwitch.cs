using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace ReviewBot.Testing;

/// <summary>
/// A load balancer in miniature: accepts TCP connections on a loopback port and pipes each to the current backend.
/// <see cref="SwitchTo"/> changes the backend and drops the open connections, as a balancer does when a backend dies.
/// </summary>
public sealed class TcpSwitch : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Guid, (TcpClient Client, TcpClient Backend)> _open = new();
    private readonly Task _accepting;
    private volatile int _backend;

    public TcpSwitch(int backendPort)
    {
        _backend = backendPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public void SwitchTo(int backendPort)
    {
        _backend = backendPort;
        foreach (var (id, pair) in _open)
            if (_open.TryRemove(id, out _)) { pair.Client.Dispose(); pair.Backend.Dispose(); }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        var backend = new TcpClient();
        var id = Guid.NewGuid();
        try
        {
            await backend.ConnectAsync(IPAddress.Loopback, _backend, _stop.Token);
            _open[id] = (client, backend);
            var a = client.GetStream().CopyToAsync(backend.GetStream(), _stop.Token);
            var b = backend.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
            await Task.WhenAny(a, b);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            _open.TryRemove(id, out _);
            client.Dispose();
            backend.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        SwitchTo(_backend);
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
