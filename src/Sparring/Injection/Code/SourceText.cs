namespace Sparring.Injection.Code;

/// <summary>A source file's text with its code mask and line offsets; lines are 1-based as in <see cref="Repos.Symbol"/>.</summary>
internal sealed class SourceText
{
    private readonly int[] _lineStarts;

    public SourceText(string text, string language)
    {
        Text = text;
        Language = language;
        Code = CodeMask.Compute(text, language);
        var starts = new List<int> { 0 };
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    public string Text { get; }

    public string Language { get; }

    /// <summary>True where the character is code (not in a string or comment).</summary>
    public bool[] Code { get; }

    public int LineCount => Text.EndsWith('\n') ? _lineStarts.Length - 1 : _lineStarts.Length;

    /// <summary>Offset of the first character of a line.</summary>
    public int LineStart(int line) => _lineStarts[Math.Clamp(line - 1, 0, _lineStarts.Length - 1)];

    /// <summary>Offset just past the last character of a line, before its newline.</summary>
    public int LineEnd(int line) => line >= _lineStarts.Length ? Text.Length : _lineStarts[line] - 1;

    public string Line(int line) => Text[LineStart(line)..LineEnd(line)];

    public int LineOf(int offset)
    {
        var index = Array.BinarySearch(_lineStarts, offset);
        return index >= 0 ? index + 1 : ~index;
    }

    /// <summary>The line with string and comment characters replaced by spaces (quotes kept as '"'), so code can be matched safely.</summary>
    public string CodeLine(int line)
    {
        var start = LineStart(line);
        var chars = Line(line).ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (!Code[start + i])
            {
                chars[i] = Text[start + i] is '"' or '\'' or '`' ? '"' : ' ';
            }
        }

        return new string(chars);
    }

    /// <summary>True when the line has a string literal or a comment.</summary>
    public bool HasNonCode(int line)
    {
        for (var i = LineStart(line); i < LineEnd(line); i++)
        {
            if (!Code[i] && !char.IsWhiteSpace(Text[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The offset of the code bracket closing the one at <paramref name="open"/>, or -1.</summary>
    public int MatchBracket(int open)
    {
        var opener = Text[open];
        var closer = opener switch { '{' => '}', '(' => ')', '[' => ']', _ => '\0' };
        var depth = 0;
        for (var i = open; i < Text.Length; i++)
        {
            if (!Code[i])
            {
                continue;
            }

            if (Text[i] == opener)
            {
                depth++;
            }
            else if (Text[i] == closer && --depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    public static string Indentation(string line) => line[..(line.Length - line.TrimStart().Length)];
}
