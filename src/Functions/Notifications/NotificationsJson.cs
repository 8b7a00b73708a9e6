using System.Text.Json;
using System.Text.Json.Serialization;

namespace Qcdc.Functions.Notifications;

/// <summary>The notifications API's bodies and answers. Source-generated; the app's composition adds it to the API's JSON options.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(NotificationsApi.ContactsBody))]
[JsonSerializable(typeof(NotificationsApi.ContactsView))]
[JsonSerializable(typeof(NotificationsApi.NoticeList))]
[JsonSerializable(typeof(NotificationsApi.JobRunView))]
public sealed partial class NotificationsJsonContext : JsonSerializerContext;
