namespace Router.Transformers.Map;

/// <summary>Where in the output a value goes, as users read it in errors: <c>lines[2].qty</c>, <c>customer['ИНН']</c>.</summary>
internal readonly record struct FieldPath(string Text)
{
    public static readonly FieldPath Root = new("");

    public FieldPath Child(string name)
    {
        var step = IsPlainName(name) ? name : $"['{name.Replace("'", "\\'", StringComparison.Ordinal)}']";
        return new FieldPath(Text.Length == 0 || step[0] == '[' ? Text + step : Text + "." + step);
    }

    public FieldPath Item(int index) => new($"{Text}[{index}]");

    public override string ToString() => Text.Length == 0 ? "(root)" : Text;

    private static bool IsPlainName(string name) =>
        name.Length > 0 && (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c is '_' or '-');
}
