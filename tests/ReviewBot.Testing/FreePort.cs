using System.Net;
using System.Net.Sockets;

namespace ReviewBot.Testing;

public static class FreePort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Completes when something listens on <paramref name="port"/>; throws if <paramref name="process"/> exits first.</summary>
    public static async Task WaitOpenAsync(int port, System.Diagnostics.Process process, string what, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{what} exited with code {process.ExitCode} before listening on {port}.");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50); // polling a port that is not open yet: there is no signal to await
            }
        }
    }
}
