using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;

namespace ReviewBot.Functions.Logs;

/// <summary>
/// The dedupe state of one running log, as kept in its append blob's metadata (names in <see cref="LogStore"/>'s
/// key scheme), plus what the blob's properties say: its ETag, length and block count. Mutable; used only under
/// the task's gate in <see cref="LogStore"/>.
/// </summary>
internal sealed class LogState
{
    public ETag ETag { get; set; }
    public string Lease { get; set; } = "";
    public long Next { get; set; }
    public long End { get; set; }
    public long Pieces { get; set; }
    public string Head { get; set; } = "";
    public bool Body { get; set; } = true;
    public bool EndsWithNewline { get; set; } = true;
    public bool Capped { get; set; }
    public long Length { get; set; }
    public int Blocks { get; set; }

    /// <summary>The log was archived: chunks are late and ignored.</summary>
    public bool Ended { get; init; }

    /// <summary>The last claimed piece is in the blob.</summary>
    public bool Complete => Length >= End;

    /// <summary>Pieces readable in the blob now: the last claimed one counts only once written.</summary>
    public long VisiblePieces => Complete ? Pieces : Pieces - 1;

    public static LogState Archived { get; } = new() { Ended = true };

    /// <summary>A copy describing a newly claimed piece (the blob's length and ETag are the caller's to update).</summary>
    public LogState ToMetadataWith(string lease, long next, long end, long pieces, string head, bool body, bool endsWithNewline, bool capped) => new()
    {
        Lease = lease, Next = next, End = end, Pieces = pieces, Head = head, Body = body, EndsWithNewline = endsWithNewline, Capped = capped,
        Length = Length, Blocks = Blocks, ETag = ETag,
    };

    public Dictionary<string, string> ToMetadata() => new()
    {
        ["lease"] = Lease,
        ["next"] = Next.ToString(CultureInfo.InvariantCulture),
        ["end"] = End.ToString(CultureInfo.InvariantCulture),
        ["pieces"] = Pieces.ToString(CultureInfo.InvariantCulture),
        ["head"] = Uri.EscapeDataString(Head),
        ["body"] = Body ? "1" : "0",
        ["nl"] = EndsWithNewline ? "1" : "0",
        ["capped"] = Capped ? "1" : "0",
    };

    public static LogState From(BlobProperties p)
    {
        var m = p.Metadata;
        string Get(string key) => m.TryGetValue(key, out var v) ? v : "";
        long Long(string key) => long.TryParse(Get(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
        return new LogState
        {
            ETag = p.ETag,
            Lease = Get("lease"),
            Next = Long("next"),
            End = Long("end"),
            Pieces = Long("pieces"),
            Head = Uri.UnescapeDataString(Get("head")),
            Body = Get("body") != "0",
            EndsWithNewline = Get("nl") != "0",
            Capped = Get("capped") == "1",
            Length = p.ContentLength,
            Blocks = p.BlobCommittedBlockCount,
        };
    }
}
