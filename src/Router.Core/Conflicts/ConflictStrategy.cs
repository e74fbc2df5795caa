namespace Router.Core.Conflicts;

/// <summary>What a route does when both sides changed the same field since they last agreed.</summary>
public enum ConflictStrategy
{
    /// <summary>The platform's value is taken on every conflicting field.</summary>
    PlatformWins,

    /// <summary>1C's value is taken on every conflicting field.</summary>
    OnecWins,

    /// <summary>Info and warning fields go to the most recent change; a critical field goes to a person.</summary>
    MergeSmart,

    /// <summary>Any conflict goes to a person: the message becomes a <c>conflict</c> dead letter.</summary>
    ManualReview,
}

public static class ConflictStrategies
{
    public static readonly IReadOnlyList<string> Names = ["platform_wins", "onec_wins", "merge_smart", "manual_review"];

    public static string Name(this ConflictStrategy strategy) => strategy switch
    {
        ConflictStrategy.PlatformWins => "platform_wins",
        ConflictStrategy.OnecWins => "onec_wins",
        ConflictStrategy.MergeSmart => "merge_smart",
        _ => "manual_review",
    };

    public static ConflictStrategy Parse(string text) => text switch
    {
        "platform_wins" => ConflictStrategy.PlatformWins,
        "onec_wins" => ConflictStrategy.OnecWins,
        "merge_smart" => ConflictStrategy.MergeSmart,
        "manual_review" => ConflictStrategy.ManualReview,
        _ => throw new ArgumentOutOfRangeException(nameof(text), text, "not one of " + string.Join(", ", Names)),
    };
}
