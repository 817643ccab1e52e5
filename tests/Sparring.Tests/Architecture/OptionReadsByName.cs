using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Sparring.Tests.Architecture;

/// <summary>Finds command-line options read by their name (<c>result.GetValue&lt;int&gt;("--rounds")</c>) instead of through their typed option object.</summary>
internal static class OptionReadsByName
{
    private static readonly HashSet<string> Readers = ["GetValue", "GetResult", "GetRequiredValue"];

    /// <summary>One <c>file:line: call</c> per read by name in <paramref name="files"/>.</summary>
    public static IReadOnlyList<string> Find(IEnumerable<string> files) =>
        [.. files.SelectMany(file => CSharpSyntaxTree.ParseText(File.ReadAllText(file), path: file).GetRoot()
            .DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(call => call.Expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: var name } && Readers.Contains(name))
            .Where(call => call.ArgumentList.Arguments.FirstOrDefault()?.Expression is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression)
                || call.ArgumentList.Arguments.FirstOrDefault()?.Expression is InterpolatedStringExpressionSyntax)
            .Select(call => $"{Path.GetFileName(file)}:{call.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {call}"))];
}
