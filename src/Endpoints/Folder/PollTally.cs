using Router.Core.Endpoints;

namespace Router.Endpoints.Folder;

/// <summary>Counts what one poll of a file source did, for its log line and its <see cref="PollResult"/>.</summary>
internal sealed class PollTally
{
    public int Accepted { get; set; }
    public int Duplicates { get; set; }
    public int Rejected { get; set; }
    public int Waiting { get; set; }

    public int Handled => Accepted + Duplicates + Rejected;

    public PollResult ToResult() => new(Accepted, Duplicates, Rejected, Waiting);
}
