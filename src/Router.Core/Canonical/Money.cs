namespace Router.Core.Canonical;

/// <summary>An amount in a currency. Always <see cref="decimal"/>: kopecks must survive every conversion exactly.</summary>
public sealed record Money(decimal Amount, string Currency = "RUB")
{
    public static Money Rub(decimal amount) => new(amount, "RUB");

    public override string ToString() => $"{Amount:0.00} {Currency}";
}
