using Qcdc.Submissions;

namespace Qcdc.Tests.Submissions;

/// <summary>If-Match as RFC 9110 writes it: a list of entity tags, any of which may match.</summary>
public sealed class EntityTagTests
{
    [Theory]
    [InlineData("\"6\"", new[] { "\"6\"" })]
    [InlineData("\"6\", \"7\"", new[] { "\"6\"", "\"7\"" })]
    [InlineData(" \"6\" ,\t\"7\" ", new[] { "\"6\"", "\"7\"" })]
    [InlineData("\"a,b\", W/\"7\"", new[] { "\"a,b\"", "\"7\"" })]
    [InlineData("\"6\",,\"7\"", new[] { "\"6\"", "\"7\"" })]
    public void AListOfTagsIsReadTagByTag(string header, string[] expected)
    {
        var tags = EntityTags.Parse(header);

        Assert.NotNull(tags);
        Assert.Equal(expected, tags.Select(t => t.Quoted));
    }

    [Theory]
    [InlineData("6")]
    [InlineData("\"6")]
    [InlineData("\"6\" \"7\"")]
    [InlineData("W/6")]
    [InlineData("\"6\"x")]
    [InlineData(",")]
    [InlineData("\"a\"b\"")]
    public void AMalformedHeaderIsNotAList(string header) => Assert.Null(EntityTags.Parse(header));

    [Fact]
    public void AWeakTagIsMarkedWeak() => Assert.True(EntityTags.Parse("W/\"3\"")![0].Weak);
}
