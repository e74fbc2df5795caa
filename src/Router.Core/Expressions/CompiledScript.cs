using Acornima;
using Jint;

namespace Router.Core.Expressions;

/// <summary>
/// A JavaScript expression, checked to be exactly one expression and prepared once as a function of
/// <c>($, $root, envelope, headers)</c>, so the bindings are parameters and no evaluation leaves state behind.
/// </summary>
internal sealed class CompiledScript
{
    // Kept on one line so that a column on the user's first line is the wrapper's column minus this prefix.
    private const string Prefix = "(function ($, $root, envelope, headers) { 'use strict'; return (";

    // The newline ends a trailing // comment in the user's text.
    private const string Suffix = "\n); })";

    private CompiledScript(Prepared<Acornima.Ast.Script> prepared)
    {
        Prepared = prepared;
    }

    public Prepared<Acornima.Ast.Script> Prepared { get; }

    /// <summary>Throws <see cref="ExpressionSyntaxException"/> with a position in <paramref name="source"/> itself.</summary>
    public static CompiledScript Compile(string source)
    {
        try
        {
            // Parsed alone first: this rejects "1); doSomething(2" which would otherwise slip through the wrapper.
            new Parser().ParseExpression(source, strict: true);
        }
        catch (ParseErrorException e)
        {
            throw new ExpressionSyntaxException(source, e.Description, e.LineNumber, e.Column + 1);
        }

        try
        {
            return new CompiledScript(Engine.PrepareScript(Prefix + source + Suffix, strict: true));
        }
        catch (ScriptPreparationException e) when (e.InnerException is ParseErrorException parseError)
        {
            throw FromWrapper(source, parseError);
        }
        catch (ParseErrorException e)
        {
            throw FromWrapper(source, e);
        }
    }

    private static ExpressionSyntaxException FromWrapper(string source, ParseErrorException e)
    {
        var lines = source.Split('\n');
        var line = Math.Min(e.LineNumber, lines.Length);
        var column = e.LineNumber == 1 ? e.Column - Prefix.Length + 1 : e.Column + 1;
        // An error found in the closing part of the wrapper is reported just past the end of the user's text.
        if (e.LineNumber > lines.Length)
        {
            column = lines[^1].Length + 1;
        }
        return new ExpressionSyntaxException(source, e.Description, line, Math.Clamp(column, 1, lines[line - 1].Length + 1));
    }
}
