using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Qcdc.Tests.Infrastructure;

namespace Qcdc.Tests.Problems;

public sealed class ProblemDetailsTests(AzuriteFixture azurite)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnknownAddressAnswersProblemDetails404()
    {
        await using var app = new QcdcAppFactory(azurite);
        var response = await app.CreateClient().GetAsync("/api/no-such-thing", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal(404, problem!.Status);
        Assert.Equal("Not found", problem.Title);
        Assert.Equal("There is no resource at this address.", problem.Detail);
    }

    [Fact]
    public async Task ARefusalToAClientThatAcceptsOnlyAWorkbookKeepsItsStatusWithAShortText()
    {
        await using var app = new QcdcAppFactory(azurite).WithSeeds();
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/exports/QCDC-Q/2026Q4/LC.xlsx");
        request.Headers.Accept.ParseAdd("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        request.Headers.AcceptLanguage.ParseAdd("vi");

        var response = await app.CreateClient().SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("401", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VietnameseIsChosenByAcceptLanguage()
    {
        await using var app = new QcdcAppFactory(azurite);
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/no-such-thing");
        request.Headers.AcceptLanguage.ParseAdd("vi-VN,vi;q=0.9,en;q=0.5");
        var response = await app.CreateClient().SendAsync(request, Ct);

        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal("Không tìm thấy", problem!.Title);
        Assert.Equal("Không có tài nguyên nào tại địa chỉ này.", problem.Detail);
    }

    [Fact]
    public async Task WrongMethodAnswersProblemDetails405()
    {
        await using var app = new QcdcAppFactory(azurite);
        var response = await app.CreateClient().DeleteAsync("/api/health", Ct);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal("Method not allowed", problem!.Title);
        Assert.Contains("DELETE", problem.Detail);
    }

    [Fact]
    public async Task UnhandledExceptionIsLoggedAndAnswers500WithoutInternals()
    {
        await using var app = new QcdcAppFactory(azurite)
            .WithServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(new BrokenClock())));
        var response = await app.CreateClient().GetAsync("/api/health", Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(BrokenClock.Secret, text);
        Assert.DoesNotContain("at Qcdc", text);
        var problem = System.Text.Json.JsonSerializer.Deserialize<ProblemDetails>(text, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web));
        Assert.Equal("Internal server error", problem!.Title);
        Assert.True(problem.Extensions.ContainsKey("traceId"));
        Assert.Contains(app.Logs.Entries, e => e.Level == Microsoft.Extensions.Logging.LogLevel.Error && e.Text.Contains(BrokenClock.Secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task VietnameseUnhandledErrorTitle()
    {
        await using var app = new QcdcAppFactory(azurite)
            .WithServices(s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(new BrokenClock())));
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/health");
        request.Headers.AcceptLanguage.ParseAdd("vi");
        var response = await app.CreateClient().SendAsync(request, Ct);

        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>(Ct);
        Assert.Equal("Lỗi máy chủ", problem!.Title);
    }

    /// <summary>A clock that fails when read, standing in for any bug inside a handler.</summary>
    private sealed class BrokenClock : TimeProvider
    {
        public const string Secret = "internal-detail-7f3a";

        public override DateTimeOffset GetUtcNow() => throw new InvalidOperationException($"Clock broken: {Secret}");
    }
}
