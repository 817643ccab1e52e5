namespace Sparring.Injection.Code;

internal static partial class CodeMask
{
    private static readonly string[] RegexKeywords = ["return", "typeof", "case", "in", "of", "yield", "await", "delete", "void", "throw"];

    /// <summary>A JavaScript '/' starts a regular expression when the previous code token cannot end an expression.</summary>
    private static bool RegexCanStart(string text, bool[] code, int i)
    {
        if (i + 1 < text.Length && text[i + 1] is '/' or '*')
        {
            return false;
        }

        var j = i - 1;
        while (j >= 0 && (char.IsWhiteSpace(text[j]) || !code[j]))
        {
            if (!code[j] && !char.IsWhiteSpace(text[j]))
            {
                // A string or template ends right before: division.
                return false;
            }

            j--;
        }

        if (j < 0)
        {
            return true;
        }

        var p = text[j];
        if (p is '(' or ',' or '=' or ':' or '[' or '!' or '&' or '|' or '?' or '{' or '}' or ';' or '+' or '-' or '*' or '%' or '<' or '>' or '~' or '^')
        {
            return true;
        }

        if (char.IsLetter(p))
        {
            var end = j + 1;
            while (j >= 0 && (char.IsLetterOrDigit(text[j]) || text[j] is '_' or '$'))
            {
                j--;
            }

            var word = text[(j + 1)..end];
            return RegexKeywords.Contains(word, StringComparer.Ordinal);
        }

        return false;
    }

    private static int SkipRegex(string text, int i)
    {
        var inClass = false;
        i++;
        while (i < text.Length && text[i] != '\n')
        {
            var c = text[i];
            if (c == '\\')
            {
                i += 2;
                continue;
            }

            if (c == '[')
            {
                inClass = true;
            }
            else if (c == ']')
            {
                inClass = false;
            }
            else if (c == '/' && !inClass)
            {
                i++;
                while (i < text.Length && char.IsLetter(text[i]))
                {
                    i++;
                }

                return i;
            }

            i++;
        }

        return i;
    }
}
