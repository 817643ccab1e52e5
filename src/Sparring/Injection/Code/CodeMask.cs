namespace Sparring.Injection.Code;

/// <summary>
/// Which characters of a source file are code (true) and which are inside string literals or comments
/// (false), by a small per-language scanner. Good enough to keep edits out of strings and comments;
/// not a parser.
/// </summary>
internal static partial class CodeMask
{
    public static bool[] Compute(string text, string language) => language switch
    {
        "Python" => Python(text),
        "Go" => CLike(text, rawBackquote: true, templates: false, verbatim: false),
        "JavaScript" or "TypeScript" => CLike(text, rawBackquote: false, templates: true, verbatim: false),
        _ => CLike(text, rawBackquote: false, templates: false, verbatim: true),
    };

    private static bool[] Python(string text)
    {
        var code = new bool[text.Length];
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c is '"' or '\'')
            {
                var triple = i + 2 < text.Length && text[i + 1] == c && text[i + 2] == c;
                var quote = triple ? new string(c, 3) : c.ToString();
                i += quote.Length;
                while (i < text.Length && string.CompareOrdinal(text, i, quote, 0, quote.Length) != 0 && (triple || text[i] != '\n'))
                {
                    i += text[i] == '\\' ? 2 : 1;
                }

                i = Math.Min(text.Length, i + quote.Length);
            }
            else
            {
                code[i] = true;
                i++;
            }
        }

        return code;
    }

    /// <summary>Go, JavaScript and C#: //, /* */, "…", '…', and Go raw `…`, JS templates with ${…}, C# @"…"/$"…" (holes kept as string).</summary>
    private static bool[] CLike(string text, bool rawBackquote, bool templates, bool verbatim)
    {
        var code = new bool[text.Length];
        var templateDepths = new Stack<int>();
        var braceDepth = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '/' && next == '*')
            {
                var end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 2;
            }
            else if (c == '`' && (rawBackquote || templates) || templates && c == '}' && templateDepths.Count > 0 && templateDepths.Peek() == braceDepth)
            {
                if (c == '}')
                {
                    templateDepths.Pop();
                }

                i++;
                while (i < text.Length && text[i] != '`')
                {
                    if (templates && text[i] == '\\')
                    {
                        i += 2;
                        continue;
                    }

                    if (templates && text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
                    {
                        templateDepths.Push(braceDepth);
                        i += 2;
                        goto Continue;
                    }

                    i++;
                }

                i = Math.Min(text.Length, i + 1);
            Continue:;
            }
            else if (c is '"' or '\'' || verbatim && c is '@' or '$' && next is '"' or '@' or '$')
            {
                i = SkipCString(text, i, verbatim);
            }
            else if (templates && c == '/' && RegexCanStart(text, code, i))
            {
                i = SkipRegex(text, i);
            }
            else
            {
                braceDepth += c == '{' ? 1 : c == '}' ? -1 : 0;
                code[i] = true;
                i++;
            }
        }

        return code;
    }

    private static int SkipCString(string text, int i, bool csharp)
    {
        var isVerbatim = false;
        while (csharp && i < text.Length && text[i] is '@' or '$')
        {
            isVerbatim |= text[i] == '@';
            i++;
        }

        if (i >= text.Length)
        {
            return i;
        }

        var quote = text[i];
        if (csharp && quote == '"' && string.CompareOrdinal(text, i, "\"\"\"", 0, 3) == 0)
        {
            var end = text.IndexOf("\"\"\"", i + 3, StringComparison.Ordinal);
            return end < 0 ? text.Length : end + 3;
        }

        i++;
        while (i < text.Length && text[i] != quote && (isVerbatim || text[i] != '\n'))
        {
            if (isVerbatim && text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"')
            {
                i += 2;
                continue;
            }

            i += !isVerbatim && text[i] == '\\' ? 2 : 1;
        }

        if (isVerbatim && i + 1 < text.Length && text[i] == '"' && text[i + 1] == '"')
        {
            return SkipCString(text, i + 2, csharp);
        }

        return Math.Min(text.Length, i + 1);
    }
}
