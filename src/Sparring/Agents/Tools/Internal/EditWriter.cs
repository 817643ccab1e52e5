using System.Globalization;
using System.Text;

namespace Sparring.Agents.Tools.Internal;

/// <summary>
/// The one way editing tools write a file: the linted-edit guard (SWE-agent), then the edit history entry
/// <c>undo_edit</c> uses, then the write through the sandbox.
/// </summary>
internal static class EditWriter
{
    /// <summary>Writes <paramref name="after"/> unless it adds syntax errors.</summary>
    /// <param name="context">The episode's tools context.</param>
    /// <param name="relativePath">The file, workspace-relative.</param>
    /// <param name="before">The file's bytes before the edit; null when the edit creates it.</param>
    /// <param name="after">The full new content.</param>
    /// <param name="region">The edited lines of <paramref name="after"/> (1-based), for the snippet of a rejected edit; null: around the first error.</param>
    /// <param name="cancellationToken">Cancels the lint and the write.</param>
    /// <returns>The rejection to return to the model (nothing was written), or a note to append to the success message (or null).</returns>
    public static async Task<(ToolResult? Rejection, string? Note)> WriteAsync(
        ToolContext context, string relativePath, byte[]? before, string after, (int First, int Last)? region, CancellationToken cancellationToken)
    {
        WorkspaceText.EnsureWritable(context, relativePath);
        string? note = null;
        if (context.Options.LintEdits && context.Linter is { } linter && linter.Supports(relativePath))
        {
            var errors = await TryLintAsync(linter, relativePath, after, context, cancellationToken).ConfigureAwait(false);
            if (errors is not null)
            {
                var errorsBefore = before is null
                    ? null
                    : await TryLintAsync(linter, relativePath, Encoding.UTF8.GetString(before), context, cancellationToken).ConfigureAwait(false);
                if (errorsBefore is null)
                {
                    return (ToolResult.Error(Rejection(context, relativePath, before is null, after, errors, region)), null);
                }

                note = "Note: the file still has syntax errors (it had them before this edit too):\n" + errors.TrimEnd('\n');
            }
        }

        if (!context.EditHistory.TryGetValue(relativePath, out var history))
        {
            history = new Stack<byte[]?>();
            context.EditHistory[relativePath] = history;
        }

        await context.Sandbox.WriteFileAsync(relativePath, WorkspaceText.Encode(after), cancellationToken).ConfigureAwait(false);
        history.Push(before);
        return (null, note);
    }

    /// <summary>A linter that cannot run (missing toolchain, sandbox trouble) must not block the edit.</summary>
    private static async Task<string?> TryLintAsync(ILinter linter, string relativePath, string content, ToolContext context, CancellationToken cancellationToken)
    {
        try
        {
            return await linter.LintAsync(relativePath, content, context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return null;
        }
    }

    private static string Rejection(ToolContext context, string relativePath, bool created, string after, string errors, (int First, int Last)? region)
    {
        var lines = TextLines.Split(after);
        var (first, last) = region ?? (TextLines.FirstErrorLine(errors) is { } line ? (line, line) : (1, 1));
        first = Math.Clamp(first - 4, 1, Math.Max(1, lines.Length));
        last = Math.Clamp(last + 4, first, Math.Max(1, lines.Length));
        var display = context.Display(relativePath);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"""
            Your edit was NOT applied: it would leave {display} with syntax errors, so {(created ? "the file was not created" : "the file is unchanged")}.
            Errors:
            {errors.TrimEnd('\n')}
            This is how lines {first}-{last} would have looked after the edit:
            {TextLines.Numbered(lines, first, last).TrimEnd('\n')}
            Fix the edit (indentation, brackets, quotes, missing lines) and try again.
            """);
    }
}
