namespace Router.Transformers.CommerceML.Orders;

/// <summary>Order numbers become file names; a "/" or ".." in one must not steer the writing endpoint elsewhere.</summary>
internal static class FileNames
{
    public static string Safe(string text)
    {
        var chars = text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray();
        return new string(chars);
    }
}
