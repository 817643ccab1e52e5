namespace Sparring.Internal;

/// <summary>FNV-1a over a string's chars: the same in every process (string.GetHashCode is randomised), so seeds derived from names replay.</summary>
internal static class StableHash
{
    public static int Of(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return unchecked((int)hash);
    }
}
