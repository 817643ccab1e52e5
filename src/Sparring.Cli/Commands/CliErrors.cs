using Sparring.Repos;
using Sparring.Testing;

namespace Sparring.Cli.Commands;

/// <summary>Maps failures to a one-paragraph message on stderr and a documented exit code; never a stack trace for expected errors.</summary>
internal static class CliErrors
{
    /// <param name="console">Where messages go.</param>
    /// <param name="json">When true, an error is also printed on stdout as <c>{"error": …, "exitCode": …}</c>, so a pipe always gets JSON.</param>
    /// <param name="action">The verb's work.</param>
    public static async Task<int> GuardAsync(CliConsole console, bool json, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (Classify(ex) is { } code)
        {
            // A diagnosed failure's message is one line and then why:/try: lines (SuiteDidNotRunException, a failed setup).
            var message = MessageOf(ex);
            await console.Error.WriteLineAsync($"sparring: error: {message}").ConfigureAwait(false);
            await WriteJsonErrorAsync(console, json, message, code, DiagnosisOf(ex)).ConfigureAwait(false);
            return code;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await console.Error.WriteLineAsync($"sparring: internal error (a bug in Sparring; please report it): {ex}").ConfigureAwait(false);
            await WriteJsonErrorAsync(console, json, ex.Message, ExitCodes.InternalError).ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    private static Task WriteJsonErrorAsync(CliConsole console, bool json, string message, int code, RunDiagnosis? diagnosis = null) =>
        json
            ? console.Out.WriteLineAsync(System.Text.Json.JsonSerializer.Serialize(new CliError(message, code, diagnosis), CliJsonContext.Default.CliError))
            : Task.CompletedTask;

    /// <summary>The one line to print: the exception's message, said in the run's terms where the library's are not.</summary>
    private static string MessageOf(Exception ex) => ex switch
    {
        Npgsql.PostgresException postgres => $"the PostgreSQL run store refused: {postgres.MessageText} ({postgres.SqlState})",
        Npgsql.NpgsqlException npgsql => $"the PostgreSQL run store cannot be reached: {npgsql.Message}{(npgsql.InnerException is { } inner ? $" ({inner.Message})" : "")}. Start the server, or check the store named by --store or the run's store.json.",
        _ => ex.Message,
    };

    private static RunDiagnosis? DiagnosisOf(Exception ex) => ex switch
    {
        SuiteDidNotRunException suite => suite.Diagnosis,
        EnvironmentPreparationException setup => setup.Diagnosis,
        _ => null,
    };

    private static int? Classify(Exception ex) => ex switch
    {
        NotAGitRepositoryException or DirectoryNotFoundException or ArgumentException or FileNotFoundException or UnsafePathException => ExitCodes.Usage,
        NoTestRunnerException or SuiteDidNotRunException or InvalidDataException => ExitCodes.SuiteDidNotRun,
        CliEnvironmentException or Npgsql.NpgsqlException or Sparring.Store.RunLockedException or Sparring.Llm.ModelServerException or Sparring.Sandboxes.SandboxException or EnvironmentPreparationException or ProcessStartException or GitException or Sparring.Runs.UnitFailedException => ExitCodes.Environment,
        _ => null,
    };
}
