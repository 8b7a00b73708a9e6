using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Submissions;

/// <summary>The reports API's bodies and answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SubmissionsApi.ReportBody))]
[JsonSerializable(typeof(SubmissionsApi.ReturnBody))]
[JsonSerializable(typeof(SubmissionsApi.FollowUpBody))]
[JsonSerializable(typeof(SubmissionsApi.AnswerBody))]
[JsonSerializable(typeof(SubmissionsApi.ReportView))]
[JsonSerializable(typeof(SubmissionsApi.HistoryView))]
[JsonSerializable(typeof(Qcdc.Submissions.SubmissionPage))]
[JsonSerializable(typeof(UnreadableRowsFunctions.UnreadableList))]
public sealed partial class SubmissionsJsonContext : JsonSerializerContext;
