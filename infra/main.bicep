// QCDC reporting backend on Azure: one storage account, a Flex Consumption function app running the .NET 10
// isolated worker (Linux), a system-assigned identity with the least storage roles it and the Functions host need
// (no account keys anywhere), the timer schedules as app settings, and optionally Application Insights on a Log
// Analytics workspace. No secrets live here: they are secure parameters given at deployment.

@description('Short name used to derive resource names (letters and digits).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'qcdc'

@description('Azure region. Southeast Asia (Singapore) is the nearest to Vietnam.')
param location string = 'southeastasia'

@description('Prefix of every table and container the app creates (empty for one app per account).')
param storagePrefix string = ''

@description('Secret of the keyed hash under which API keys are stored (at least 32 characters).')
@secure()
@minLength(32)
param keyHashSecret string

@description('Optional first admin key, used only to issue the stored keys; leave empty afterwards.')
@secure()
param bootstrapAdminKey string = ''

@description('Days that deleted blobs stay recoverable.')
@minValue(1)
@maxValue(365)
param blobSoftDeleteDays int = 14

@description('Days after which attachments move to the cool tier.')
param attachmentsCoolAfterDays int = 90

@description('Largest attachment accepted, in bytes.')
@minValue(1024)
param attachmentMaxSizeBytes int = 26214400

@description('Attachments one report may hold.')
@minValue(1)
@maxValue(1000)
param attachmentsPerReport int = 20

@description('Web origins whose pages may upload and download attachments straight from storage with the short-lived URLs.')
param attachmentOrigins array = []

@description('Send the host\'s and the app\'s logs to Application Insights (a Log Analytics workspace); off, nothing is collected.')
param enableApplicationInsights bool = true

@description('Timer schedules, 6-field NCRONTAB in UTC (Flex Consumption has no time zones: 01:00 in Vietnam is 18:00 UTC).')
param schedules object = {
  QuarterlyRollupSchedule: '0 0 18 * * *'
  PeriodRollupSchedule: '0 0 19 * * 6'
  DeadlineRemindersSchedule: '0 0 1 * * *'
  NotificationDispatchSchedule: '0 5 * * * *'
  NoticeDeliverySchedule: '0 */2 * * * *'
  AttachmentCleanupSchedule: '0 20 * * * *'
  SessionCleanupSchedule: '0 30 20 * * *'
}

@description('Largest number of instances the app may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

var suffix = uniqueString(resourceGroup().id, namePrefix)
var storageName = toLower(take('${namePrefix}${suffix}', 24))
var appName = '${namePrefix}-func-${suffix}'
var deploymentContainer = 'deployments'
var attachmentsContainer = toLower('${storagePrefix}attachments')

// Built-in roles: the app's tables, its blobs (attachments, job leases, the deployment package, the host's own
// state and timer leases) and user-delegation keys for attachment SAS URLs; the host's queues; publishing telemetry
// to Application Insights with the identity instead of a key.
var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = if (enableApplicationInsights) {
  name: '${namePrefix}-logs-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = if (enableApplicationInsights) {
  name: '${namePrefix}-ai-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: { name: 'Standard_LRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    accessTier: 'Hot'
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: blobSoftDeleteDays }
    containerDeleteRetentionPolicy: { enabled: true, days: blobSoftDeleteDays }
    // Browsers PUT files to their upload URL and GET them from their download URL; the URL's signature is the
    // authorisation, CORS only says which web apps may make those calls.
    cors: {
      corsRules: empty(attachmentOrigins) ? [] : [
        {
          allowedOrigins: attachmentOrigins
          allowedMethods: [ 'PUT', 'GET', 'HEAD' ]
          allowedHeaders: [ 'x-ms-blob-type', 'x-ms-version', 'content-type', 'content-length' ]
          exposedHeaders: [ 'etag', 'content-disposition', 'content-length', 'content-type' ]
          maxAgeInSeconds: 3600
        }
      ]
    }
  }
}

resource deployments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

resource attachments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: attachmentsContainer
  properties: { publicAccess: 'None' }
}

resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'attachments-to-cool'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: [ 'blockBlob' ]
              prefixMatch: [ '${attachmentsContainer}/' ]
            }
            actions: {
              baseBlob: {
                tierToCool: { daysAfterModificationGreaterThan: attachmentsCoolAfterDays }
              }
            }
          }
        }
      ]
    }
  }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${namePrefix}-plan-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 512
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      // No FUNCTIONS_WORKER_RUNTIME (functionAppConfig.runtime says it) and no account key: the host reaches its
      // storage with the app's identity.
      appSettings: concat([
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__TableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'Storage__BlobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'Storage__Prefix', value: storagePrefix }
        { name: 'Security__KeyHashSecret', value: keyHashSecret }
        { name: 'QCDC_BOOTSTRAP_ADMIN_KEY', value: bootstrapAdminKey }
        { name: 'Attachments__MaxSizeBytes', value: string(attachmentMaxSizeBytes) }
        { name: 'Attachments__MaxPerSubmission', value: string(attachmentsPerReport) }
      ], map(items(schedules), schedule => { name: schedule.key, value: schedule.value }), enableApplicationInsights ? [
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: insights!.properties.ConnectionString }
        { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD' }
      ] : [])
    }
  }
}

resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, storageBlobDataOwner)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataOwner)
  }
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, storageTableDataContributor)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
  }
}

resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, storageQueueDataContributor)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageQueueDataContributor)
  }
}

resource metricsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (enableApplicationInsights) {
  scope: insights
  name: guid(insights.id, app.id, monitoringMetricsPublisher)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisher)
  }
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output storageAccountName string = storage.name
