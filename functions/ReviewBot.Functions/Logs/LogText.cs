using System.Text;

namespace ReviewBot.Functions.Logs;

/// <summary>Byte-level helpers on UTF-8 log text.</summary>
internal static class LogText
{
    /// <summary>Decodes <paramref name="bytes"/>; when <paramref name="cut"/> (the bytes start mid-log) it drops a
    /// partial UTF-8 sequence and the partial first line, if a later line starts in the window.</summary>
    public static (string Text, bool Cut) FromLineStart(ReadOnlySpan<byte> bytes, bool cut)
    {
        if (cut)
        {
            var newline = bytes.IndexOf((byte)'\n');
            if (newline >= 0 && newline < bytes.Length - 1) bytes = bytes[(newline + 1)..];
            else while (bytes.Length > 0 && (bytes[0] & 0xC0) == 0x80) bytes = bytes[1..];
        }
        return (Encoding.UTF8.GetString(bytes), cut);
    }

    /// <summary>The last <paramref name="lines"/> lines of a forward stream, keeping only those in memory.</summary>
    public static async Task<byte[]> TailAsync(Stream text, int lines, CancellationToken ct)
    {
        var kept = new Queue<byte[]>();
        var current = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await text.ReadAsync(buffer, ct)) > 0)
        {
            var span = buffer.AsSpan(0, read);
            while (span.Length > 0)
            {
                var newline = span.IndexOf((byte)'\n');
                if (newline < 0) { current.Write(span); break; }
                current.Write(span[..(newline + 1)]);
                span = span[(newline + 1)..];
                kept.Enqueue(current.ToArray());
                current.SetLength(0);
                if (kept.Count > lines) kept.Dequeue();
            }
        }
        if (current.Length > 0)
        {
            kept.Enqueue(current.ToArray());
            if (kept.Count > lines) kept.Dequeue();
        }
        return [.. kept.SelectMany(l => l)];
    }
}
