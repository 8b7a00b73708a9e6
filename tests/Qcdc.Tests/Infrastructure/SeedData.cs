using Qcdc.Forms;
using Qcdc.Seeds;

namespace Qcdc.Tests.Infrastructure;

/// <summary>The seeded reference data, read from <c>seeds/</c>.</summary>
public static class SeedData
{
    public static string Folder => Path.Combine(AzuriteFixture.RepositoryRoot, "seeds");

    public static IReadOnlyList<FormDefinition> Forms() =>
        SeedFiles.ReadFormsAsync(Folder, CancellationToken.None).GetAwaiter().GetResult().Forms;

    /// <summary>The quarterly form as it was until 2025Q2 (version 1).</summary>
    public static FormDefinition QuarterlyForm() => Forms().First(f => f.Code == "QCDC-Q") with { Version = 1 };

    /// <summary>The quarterly form of the two-level government, in force from 2025Q3 (version 2).</summary>
    public static FormDefinition QuarterlyFormFrom2025Q3() => Forms().Last(f => f.Code == "QCDC-Q") with { Version = 2 };
}
