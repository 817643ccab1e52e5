namespace Sparring.Agents.Tools;

/// <summary>Finds syntax errors in a source file's content, by language (file extension).</summary>
public interface ILinter
{
    /// <summary>True when the linter knows the file's language.</summary>
    bool Supports(string relativePath);

    /// <summary>The syntax errors of <paramref name="content"/> as a message for the model, or null when it parses.</summary>
    Task<string?> LintAsync(string relativePath, string content, ToolContext context, CancellationToken cancellationToken = default);
}
