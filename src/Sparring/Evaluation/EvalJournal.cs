namespace Sparring.Evaluation;

/// <summary>The evaluation folder's journals (<see cref="JsonlJournal{T}"/>).</summary>
public static class EvalJournal
{
    /// <summary>Opens (or creates) the journal of graded tries at <paramref name="path"/> (<c>results.jsonl</c>).</summary>
    /// <exception cref="InvalidDataException">A complete line is not a journal entry (the file is not Sparring's).</exception>
    public static JsonlJournal<EvalSample> Open(string path) => JsonlJournal<EvalSample>.Open(path, EvaluationJsonContext.Default.EvalSample, "an evaluation result");

    /// <summary>Opens (or creates) the journal of selections at <paramref name="path"/> (<c>selection.jsonl</c>).</summary>
    /// <exception cref="InvalidDataException">A complete line is not a selection.</exception>
    public static JsonlJournal<EvalSelection> OpenSelections(string path) => JsonlJournal<EvalSelection>.Open(path, EvaluationJsonContext.Default.EvalSelection, "a selection");
}
