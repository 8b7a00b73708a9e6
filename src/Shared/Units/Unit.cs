using System.Text.RegularExpressions;

namespace Qcdc.Units;

/// <summary>A unit that took over (part of) another: the whole, or the given share of its flows.</summary>
public sealed record Successor(string Code, decimal? Share = null);

/// <summary>
/// A reporting unit for its whole lifetime. <c>Code</c> is never reused; <c>GsoCode</c> (the official statistics
/// code) may repeat over time, because a commune formed on 1 July 2025 reuses the code of one predecessor.
/// </summary>
public sealed record Unit(
    string Code,
    string Name,
    string Kind,
    DateOnly ValidFrom,
    string? Parent = null,
    DateOnly? ValidTo = null,
    IReadOnlyList<Successor>? Successors = null,
    string? GsoCode = null)
{
    /// <summary>The longest name a unit may have: as long as a form's heading and a workbook's column show in full.</summary>
    public const int MaxNameLength = 200;

    public IReadOnlyList<Successor> Successors { get; init; } = Successors ?? [];

    public bool IsActiveOn(DateOnly date) => date >= ValidFrom && (ValidTo is null || date <= ValidTo);

    /// <summary>True when the unit is active on some day between the two dates.</summary>
    public bool IsActiveDuring(DateOnly from, DateOnly to) => ValidFrom <= to && (ValidTo is null || ValidTo >= from);
}

public static partial class UnitCodes
{
    public static bool IsValid(string? code) => Qcdc.Problems.KeyParts.IsValid(Qcdc.Problems.KeyPart.Unit, code);
}

/// <summary>The kinds of unit; a form names the kinds it applies to.</summary>
public static class UnitKinds
{
    public const string Province = "province";
    public const string District = "district";
    public const string Commune = "commune";
    public const string Ward = "ward";
    public const string SpecialZone = "special-zone";
    public const string Agency = "agency";
    public const string PublicServiceUnit = "public-service-unit";
    public const string StateEnterprise = "state-enterprise";
    public const string PrivateEnterprise = "private-enterprise";
    public const string MassOrganisation = "mass-organisation";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        Province, District, Commune, Ward, SpecialZone, Agency, PublicServiceUnit, StateEnterprise, PrivateEnterprise, MassOrganisation,
    };

    /// <summary>A kind's Vietnamese name, as the pages and files show it.</summary>
    public static string NameOf(string kind) => kind switch
    {
        Province => "Cấp tỉnh",
        District => "Cấp huyện",
        Commune => "Xã",
        Ward => "Phường",
        SpecialZone => "Đặc khu",
        Agency => "Cơ quan",
        PublicServiceUnit => "Đơn vị sự nghiệp công lập",
        StateEnterprise => "Doanh nghiệp nhà nước",
        PrivateEnterprise => "Doanh nghiệp ngoài nhà nước",
        MassOrganisation => "Mặt trận và đoàn thể",
        _ => kind,
    };
}
