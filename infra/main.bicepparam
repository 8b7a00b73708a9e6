using 'main.bicep'

// Non-secret settings of one province's deployment. Secrets (keyHashSecret, bootstrapAdminKey) are given on the
// command line or from a key vault at deployment time, never in this file.
param namePrefix = 'qcdc'
param location = 'southeastasia'
param storagePrefix = ''
param blobSoftDeleteDays = 14
param attachmentsCoolAfterDays = 90
param attachmentMaxSizeBytes = 26214400
param attachmentsPerReport = 20
param attachmentOrigins = []
param maximumInstanceCount = 40
param enableApplicationInsights = true
param keyHashSecret = readEnvironmentVariable('QCDC_KEY_HASH_SECRET')
