using System.Diagnostics;

namespace Sparring.Tests.Injection;

/// <summary>Runs a real compiler or checker in a directory and returns its exit code with its output.</summary>
internal static class Tools
{
    public static (int ExitCode, string Output) Run(string directory, string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Checks that the changed files of a copy still parse or build; returns the failures.</summary>
    public static string? Check(string language, string directory, IReadOnlyList<string> changed)
    {
        (int ExitCode, string Output) result = language switch
        {
            "Python" => Run(directory, "/usr/bin/python3", ["-m", "py_compile", .. changed]),
            "Go" => GoCheck(directory),
            "JavaScript" => changed.Select(f => Run(directory, "node", ["--check", f])).FirstOrDefault(r => r.ExitCode != 0),
            _ => Run(directory, "dotnet", ["build", "-nologo", "-v", "q"]),
        };
        return result.ExitCode == 0 ? null : result.Output;
    }

    private static (int ExitCode, string Output) GoCheck(string directory)
    {
        var env = new Dictionary<string, string> { ["GOFLAGS"] = "-mod=mod", ["GOPROXY"] = "off" };
        var format = Run(directory, "gofmt", ["-l", "."]);
        if (format.ExitCode != 0 || format.Output.Trim().Length > 0)
        {
            return (1, "gofmt: " + format.Output);
        }

        return Run(directory, "go", ["vet", "./..."], env);
    }
}
