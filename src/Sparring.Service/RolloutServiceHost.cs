using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sparring.Repos;

namespace Sparring.Service;

/// <summary>
/// The rollout service over HTTP (Kestrel): <c>POST /v1/rollouts</c> submits, <c>GET /v1/rollouts/{id}?wait=S</c>
/// reads (long-polling up to S seconds for the result), <c>DELETE /v1/rollouts/{id}</c> cancels, <c>GET /v1/health</c>.
/// </summary>
public sealed class RolloutServiceHost : IAsyncDisposable
{
    /// <summary>The longest a <c>GET … ?wait=</c> holds the connection.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;

    private RolloutServiceHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>Where the service listens, e.g. <c>http://127.0.0.1:8471/</c>.</summary>
    public Uri Address { get; }

    /// <summary>Starts listening on <paramref name="host"/>:<paramref name="port"/> (port 0: a free one).</summary>
    /// <exception cref="IOException">The address is taken.</exception>
    public static async Task<RolloutServiceHost> StartAsync(RolloutService service, IPAddress host, int port, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(service);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(host, port));
        var app = builder.Build();
        Map(app, service);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new RolloutServiceHost(app, new Uri(address.Replace("[::]", "localhost", StringComparison.Ordinal) + "/"));
    }

    /// <summary>Maps the API onto any ASP.NET Core app.</summary>
    public static void Map(IEndpointRouteBuilder app, RolloutService service)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/v1/rollouts", (Delegate)((HttpContext context) => SubmitAsync(context, service)));
        app.MapGet("/v1/rollouts/{id}", async (HttpContext context, string id) =>
        {
            var wait = context.Request.Query.TryGetValue("wait", out var text) && double.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0
                ? TimeSpan.FromSeconds(Math.Min(seconds, MaxWait.TotalSeconds))
                : TimeSpan.Zero;
            return await service.WaitAsync(id, wait, context.RequestAborted).ConfigureAwait(false) is { } job
                ? Results.Json(job, ServiceJsonContext.Default.RolloutJob)
                : NotFound(id);
        });
        app.MapDelete("/v1/rollouts/{id}", async (string id) =>
            await service.CancelAsync(id).ConfigureAwait(false) is { } job ? Results.Json(job, ServiceJsonContext.Default.RolloutJob) : NotFound(id));
        app.MapGet("/v1/health", () => Results.Json(new ServiceHealth("ok", service.Counts()), ServiceJsonContext.Default.ServiceHealth));
    }

    private static async Task<IResult> SubmitAsync(HttpContext context, RolloutService service)
    {
        RolloutRequest? request;
        try
        {
            request = await JsonSerializer.DeserializeAsync(context.Request.Body, ServiceJsonContext.Default.RolloutRequest, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return BadRequest("the body is not a rollout request: " + ex.Message);
        }

        if (request is null)
        {
            return BadRequest("the body is empty");
        }

        try
        {
            var job = await service.SubmitAsync(request, context.RequestAborted).ConfigureAwait(false);
            return Results.Json(job, ServiceJsonContext.Default.RolloutJob, statusCode: StatusCodes.Status202Accepted);
        }
        catch (Exception ex) when (ex is ArgumentException or NotAGitRepositoryException or DirectoryNotFoundException or FileNotFoundException or UnsafePathException)
        {
            return BadRequest(ex.Message);
        }
    }

    private static IResult BadRequest(string message) =>
        Results.Json(new ServiceError(message), ServiceJsonContext.Default.ServiceError, statusCode: StatusCodes.Status400BadRequest);

    private static IResult NotFound(string id) =>
        Results.Json(new ServiceError($"no job '{id}' (unknown, or finished long ago: see its result.json)"), ServiceJsonContext.Default.ServiceError, statusCode: StatusCodes.Status404NotFound);

    /// <summary>Cancelled when the host begins to stop: SIGTERM or SIGINT, which the host's console lifetime takes for itself.</summary>
    public CancellationToken Stopping => _app.Lifetime.ApplicationStopping;

    public async ValueTask DisposeAsync()
    {
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(grace.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
