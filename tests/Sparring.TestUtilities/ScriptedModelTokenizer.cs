using System.Text;

namespace Sparring.TestUtilities;

/// <summary>
/// A deterministic stand-in tokenizer: text is cut into chunks of up to four characters; a chunk's id is its
/// FNV-1a hash modulo 50000 and its logprob a negative number derived from the same hash.
/// </summary>
internal static class ScriptedModelTokenizer
{
    public const int ChunkLength = 4;
    public const int VocabularySize = 50_000;

    public static IReadOnlyList<string> Tokens(string text)
    {
        var tokens = new List<string>((text.Length / ChunkLength) + 1);
        for (var i = 0; i < text.Length; i += ChunkLength)
        {
            tokens.Add(text.Substring(i, Math.Min(ChunkLength, text.Length - i)));
        }

        return tokens;
    }

    /// <summary>A special token of the stand-in chat template (<c>&lt;|user|&gt;</c>, <c>&lt;|end|&gt;</c>, …): one token, whatever its length.</summary>
    public static string Marker(string name) => "<|" + name + "|>";

    public static int Id(string token) => (int)(Hash(token) % VocabularySize);

    /// <summary>In (-5, -0.001]: never zero, so a test can tell a real value from a default.</summary>
    public static double Logprob(string token) => -0.001 - ((Hash(token) >> 8) % 5000 / 1000.0);

    private static uint Hash(string token)
    {
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(token))
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return hash;
    }
}
