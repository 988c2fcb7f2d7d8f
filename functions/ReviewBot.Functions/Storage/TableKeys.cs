using ReviewBot.Functions.Agents;
using ReviewBot.Functions.Agents.Credentials;
using ReviewBot.Functions.Ingest;
using ReviewBot.Functions.Jobs;
using ReviewBot.Functions.Tasks;
using System.Text;

namespace ReviewBot.Functions.Storage;

/// <summary>Table keys may not contain '/', '\', '#', '?' or control characters; user text is escaped
/// (those characters and '%' become %XX) so every key round-trips.</summary>
public static class TableKeys
{
    public static string Escape(string value)
    {
        var sb = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
                sb.Append('%').Append(((int)c).ToString("X2"));
            else
                sb.Append(c);
        }
        return sb.ToString();
    }

    public static string Unescape(string value) => Uri.UnescapeDataString(value);
}
