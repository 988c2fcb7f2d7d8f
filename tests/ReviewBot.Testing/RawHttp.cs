using System.Net.Sockets;
using System.Text;

namespace ReviewBot.Testing;

/// <summary>HTTP/1.1 by hand over a socket, for what HttpClient will not do: announce a body and send only part of it
/// (a slow or stalled client), and read the answer the server gives before the body has arrived.</summary>
public static class RawHttp
{
    public sealed record Answer(int Status, IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>Sends the request line and <paramref name="headers"/> (Content-Length included by the caller), then
    /// <paramref name="bodyStart"/>, and keeps the connection open without sending the rest. Returns the answer the
    /// server gives (the body up to Content-Length).</summary>
    public static async Task<Answer> SendPartialAsync(string baseUrl, string method, string path, IEnumerable<string> headers, byte[] bodyStart, TimeSpan timeout)
    {
        var uri = new Uri(baseUrl);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port).WaitAsync(timeout);
        var stream = tcp.GetStream();
        var head = new StringBuilder($"{method} {path} HTTP/1.1\r\nHost: {uri.Authority}\r\n");
        foreach (var h in headers) head.Append(h).Append("\r\n");
        head.Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        await stream.WriteAsync(bodyStart);
        await stream.FlushAsync();
        return await ReadAnswerAsync(stream).WithTimeout(timeout, $"the answer to {method} {path}");
    }

    private static async Task<Answer> ReadAnswerAsync(NetworkStream stream)
    {
        var received = new List<byte>();
        var buffer = new byte[8192];
        int end;
        while ((end = IndexOf(received, "\r\n\r\n"u8)) < 0)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0) throw new IOException("the server closed the connection before answering: " + Encoding.ASCII.GetString([.. received]));
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        var lines = Encoding.ASCII.GetString([.. received.Take(end)]).Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1]);
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        var body = received.Skip(end + 4).ToList();
        var chunked = headers.TryGetValue("Transfer-Encoding", out var te) && te.Contains("chunked", StringComparison.OrdinalIgnoreCase);
        var length = headers.TryGetValue("Content-Length", out var l) ? int.Parse(l) : 0;
        while (chunked ? IndexOf(body, "0\r\n\r\n"u8) < 0 : body.Count < length)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0) break;
            body.AddRange(buffer.AsSpan(0, n).ToArray());
        }
        return new Answer(status, headers, chunked ? Dechunk(body) : Encoding.UTF8.GetString([.. body]));
    }

    private static string Dechunk(List<byte> data)
    {
        var text = new List<byte>();
        var at = 0;
        while (true)
        {
            var eol = IndexOf(data.Skip(at).ToList(), "\r\n"u8);
            if (eol < 0) break;
            var size = Convert.ToInt32(Encoding.ASCII.GetString([.. data.Skip(at).Take(eol)]).Split(';')[0], 16);
            if (size == 0) break;
            text.AddRange(data.Skip(at + eol + 2).Take(size));
            at += eol + 2 + size + 2;
        }
        return Encoding.UTF8.GetString([.. text]);
    }

    private static int IndexOf(List<byte> data, ReadOnlySpan<byte> pattern)
    {
        for (var i = 0; i + pattern.Length <= data.Count; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++) match = data[i + j] == pattern[j];
            if (match) return i;
        }
        return -1;
    }
}
