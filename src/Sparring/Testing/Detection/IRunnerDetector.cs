namespace Sparring.Testing.Detection;

internal interface IRunnerDetector
{
    TestPlan? TryDetect(string tree);
}
