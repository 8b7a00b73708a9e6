using Qcdc.Forms;
using Qcdc.Seeds;

namespace Qcdc.Tests.Infrastructure;

/// <summary>The seeded reference data, read from <c>seeds/</c>.</summary>
public static class SeedData
{
    public static string Folder => Path.Combine(AzuriteFixture.RepositoryRoot, "seeds");

    public static IReadOnlyList<FormDefinition> Forms() =>
        SeedFiles.ReadFormsAsync(Folder, CancellationToken.None).GetAwaiter().GetResult().Forms;

    public static FormDefinition QuarterlyForm() => Forms().Single(f => f.Code == "QCDC-Q") with { Version = 1 };
}
