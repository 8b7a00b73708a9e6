using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Qcdc.Forms;
using Qcdc.Functions.Attachments;
using Qcdc.Functions.Forms;
using Qcdc.Functions.Health;
using Qcdc.Functions.Hosting;
using Qcdc.Functions.Periods;
using Qcdc.Functions.Problems;
using Qcdc.Functions.Rollups;
using Qcdc.Functions.Security;
using Qcdc.Functions.Submissions;
using Qcdc.Functions.Units;
using Qcdc.Json;
using Qcdc.Rollups;
using Qcdc.Security;
using Qcdc.Seeds;
using Qcdc.Submissions;
using Qcdc.Units;

namespace Qcdc.Functions.Http;

/// <summary>
/// The API's JSON: the shared conventions, and only source-generated type information (no reflection, so that
/// the app runs as Native AOT and a type missing here fails every test that touches it).
/// </summary>
public static class ApiJson
{
    public static void Configure(JsonOptions options)
    {
        QcdcJson.Configure(options.SerializerOptions);
        options.SerializerOptions.TypeInfoResolverChain.Clear();
        options.SerializerOptions.TypeInfoResolverChain.Add(ApiJsonContext.Default);
        options.SerializerOptions.TypeInfoResolverChain.Add(QcdcJsonContext.Default);
    }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails))]
[JsonSerializable(typeof(Microsoft.AspNetCore.Http.HttpValidationProblemDetails))]
[JsonSerializable(typeof(Qcdc.Problems.FieldProblem[]))]
[JsonSerializable(typeof(AttachmentView))]
[JsonSerializable(typeof(HealthApi.HealthReport))]
[JsonSerializable(typeof(FormsApi.FormList))]
[JsonSerializable(typeof(FormDefinition))]
[JsonSerializable(typeof(PeriodsApi.PeriodList))]
[JsonSerializable(typeof(UnitsApi.UnitList))]
[JsonSerializable(typeof(UnitsApi.UnitDetail))]
[JsonSerializable(typeof(UnitFile))]
[JsonSerializable(typeof(UnitImportResult))]
[JsonSerializable(typeof(KeysApi.IssueKeyRequest))]
[JsonSerializable(typeof(IssuedKey))]
[JsonSerializable(typeof(KeysApi.KeyList))]
[JsonSerializable(typeof(SubmissionsApi.ReportBody))]
[JsonSerializable(typeof(SubmissionsApi.ReturnBody))]
[JsonSerializable(typeof(SubmissionsApi.FollowUpBody))]
[JsonSerializable(typeof(SubmissionsApi.AnswerBody))]
[JsonSerializable(typeof(SubmissionsApi.ReportView))]
[JsonSerializable(typeof(SessionApi.SignInRequest))]
[JsonSerializable(typeof(SessionApi.Identity))]
[JsonSerializable(typeof(SubmissionsApi.HistoryView))]
[JsonSerializable(typeof(SubmissionPage))]
[JsonSerializable(typeof(Qcdc.Attachments.AttachmentDeclaration))]
[JsonSerializable(typeof(UnitRollup))]
[JsonSerializable(typeof(Reconciliation))]
[JsonSerializable(typeof(Qcdc.Functions.Imports.ImportsApi.OutcomeView))]
[JsonSerializable(typeof(CompletenessListing))]
[JsonSerializable(typeof(UnitExistence))]
[JsonSerializable(typeof(RollupsApi.RunRequest))]
[JsonSerializable(typeof(RollupSummary))]
[JsonSerializable(typeof(Notifications.NotificationsApi.ContactsBody))]
[JsonSerializable(typeof(Notifications.NotificationsApi.ContactsView))]
[JsonSerializable(typeof(Notifications.NotificationsApi.NoticeList))]
[JsonSerializable(typeof(Notifications.NotificationsApi.JobRunView))]
[JsonSerializable(typeof(Periods.PeriodsApi.WindowList))]
[JsonSerializable(typeof(UnreadableRowsFunctions.UnreadableList))]
[JsonSerializable(typeof(string))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
