using System.Xml;

namespace Router.Transformers.CommerceML;

/// <summary>
/// The local names of the elements the streaming reader is inside, by depth, so "a Товар directly under Каталог/Товары"
/// can be checked without building the tree. Namespaces are ignored on purpose: 2.x files come with and without one.
/// </summary>
internal sealed class ElementPath
{
    private readonly List<string> names = [];

    /// <summary>Call on every element start.</summary>
    public void Enter(XmlReader reader)
    {
        var depth = reader.Depth;
        if (names.Count > depth)
        {
            names.RemoveRange(depth, names.Count - depth);
        }
        names.Add(reader.LocalName);
    }

    /// <summary>Whether the current element's ancestors end with these names (nearest last).</summary>
    public bool IsUnder(params string[] ancestors)
    {
        var parents = names.Count - 1;
        if (parents < ancestors.Length)
        {
            return false;
        }
        for (var i = 0; i < ancestors.Length; i++)
        {
            if (names[parents - ancestors.Length + i] != ancestors[i])
            {
                return false;
            }
        }
        return true;
    }
}
