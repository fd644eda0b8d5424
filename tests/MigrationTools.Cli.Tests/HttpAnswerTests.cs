using MigrationTools.Cli.Demo;

namespace MigrationTools.Cli.Tests;

/// <summary>How the demo's probe reads the counter's raw HTTP answer off a lab host's socket.</summary>
public sealed class HttpAnswerTests
{
    [Theory]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n{\"counter\":1}", "{\"counter\":1}")]
    [InlineData("HTTP/1.1 200 OK\r\n\r\n", "")]
    public void ACompleteOkAnswerGivesItsBody(string response, string body) => Assert.Equal(body, HttpAnswer.OkBody(response));

    [Theory]
    [InlineData("")]
    [InlineData("HTTP/1.0 200 OK\r\nContent-Length: 13\r\n")]
    [InlineData("HTTP/1.0 404 Not Found\r\n\r\nnothing here")]
    [InlineData("HTTP/1.0 2000 OK\r\n\r\n{}")]
    [InlineData("SSH-2.0-OpenSSH_10.0\r\n\r\n")]
    public void AnythingElseGivesNoBody(string response) => Assert.Null(HttpAnswer.OkBody(response));
}
