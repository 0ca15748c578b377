// Paie Monaco — Azure resources of the functions app.
// Why Flex Consumption: the load is a few HTTP calls a day from the add-in plus timers (hourly payroll check,
// one-minute mail dispatcher, 03:00 backup); Flex scales to zero between them yet keeps always-ready instances
// optional, supports VNet integration and managed-identity deployment storage, and runs Node 20 on Linux.
// Premium (EP1) would only be needed for > 10 min executions, which the app avoids (the mail dispatcher is paced
// within its budget and resumable).
targetScope = 'resourceGroup'

@description('Short name used in resource names (letters and digits).')
@minLength(3)
@maxLength(11)
param appName string = 'paiemonaco'

@description('Azure region.')
param location string = resourceGroup().location

@description('Entra tenant of the firm (token validation).')
param authTenantId string

@description('Application (client) id of the API registration.')
param authApiClientId string

@description('Mailbox the payslips are sent from (Microsoft Graph).')
param mailMailbox string

@description('Days backups are kept.')
@minValue(1)
@maxValue(3650)
param backupRetentionDays int = 90

@description('Object id of the operator group allowed to write the data-key secrets (set once, by hand).')
param keyVaultAdminObjectId string = ''

var suffix = uniqueString(resourceGroup().id, appName)
var storageName = toLower('st${appName}${take(suffix, 8)}')
var vaultName = 'kv-${appName}-${take(suffix, 6)}'
var deploymentContainer = 'app-package'

// Built-in role definition ids (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
var roles = {
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${appName}-${take(suffix, 6)}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 90
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${appName}-${take(suffix, 6)}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    DisableLocalAuth: true // telemetry accepted from Entra-authenticated senders only (the app's identity)
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  sku: { name: 'Standard_ZRS' }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false // identities only: no account key to leak
    defaultToOAuthAuthentication: true
    publicNetworkAccess: 'Enabled'
    encryption: {
      services: {
        blob: { enabled: true }
        table: { enabled: true, keyType: 'Account' }
      }
      keySource: 'Microsoft.Storage'
    }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
  properties: {
    deleteRetentionPolicy: { enabled: true, days: 30 }
    containerDeleteRetentionPolicy: { enabled: true, days: 30 }
    isVersioningEnabled: true
  }
}

resource documentsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'documents'
  properties: { publicAccess: 'None' }
}

resource backupsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'backups'
  properties: { publicAccess: 'None' }
}

resource packageContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
  properties: { publicAccess: 'None' }
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true // a deleted data key would make every encrypted payslip unreadable
    publicNetworkAccess: 'Enabled'
  }
}

// The data keys are NOT created here (no key material in templates or deployment history): an operator sets
// them once with `az keyvault secret set --vault-name <vault> --name paie-data-keys --file keys.json` and
// `--name paie-data-key-current --value <id>`. The app settings below only reference them.

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${appName}-${take(suffix, 6)}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true } // Linux
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${appName}-${take(suffix, 6)}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientCertEnabled: false
    siteConfig: {
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
      cors: { allowedOrigins: [ 'https://${appName}.azurestaticapps.net' ] }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 10, instanceMemoryMB: 2048 }
      runtime: { name: 'node', version: '20' }
    }
  }
}

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Identity-based connections: endpoints only, no keys (allowSharedKeyAccess is false).
    AzureWebJobsStorage__accountName: storage.name
    AzureWebJobsStorage__credential: 'managedidentity'
    PAIE_STORAGE_ACCOUNT: storage.name
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
    APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
    PAIE_AUTH_TENANT_ID: authTenantId
    PAIE_AUTH_API_CLIENT_ID: authApiClientId
    PAIE_MAIL_TRANSPORT: 'graph'
    PAIE_MAIL_MAILBOX: mailMailbox
    PAIE_TIME_ZONE: 'Europe/Monaco'
    PAIE_BACKUP_RETENTION_DAYS: string(backupRetentionDays)
    // Secrets: Key Vault references, resolved by the host with the app's identity (Key Vault Secrets User).
    PAIE_DATA_KEYS: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=paie-data-keys)'
    PAIE_DATA_KEY_CURRENT: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=paie-data-key-current)'
    PAIE_METRICS_KEY: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=paie-metrics-key)'
    // The payslip seal: a Key Vault certificate named paie-seal (content type PEM), read through its secret.
    PAIE_SEAL_PEM: '@Microsoft.KeyVault(VaultName=${vault.name};SecretName=paie-seal)'
  }
}

// Least privilege: data-plane roles on the one storage account and the one vault, nothing at subscription scope.
resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageBlobDataContributor)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageTableDataContributor)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

// The Functions host itself keeps timer leases and state in queues of AzureWebJobsStorage.
resource queueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageQueueDataContributor)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource secretsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, app.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource secretsAdminRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(keyVaultAdminObjectId)) {
  scope: vault
  name: guid(vault.id, keyVaultAdminObjectId, roles.keyVaultSecretsOfficer)
  properties: {
    principalId: keyVaultAdminObjectId
    principalType: 'Group'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
  }
}

resource diagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  scope: app
  name: 'to-log-analytics'
  properties: {
    workspaceId: logs.id
    logs: [ { category: 'FunctionAppLogs', enabled: true } ]
    metrics: [ { category: 'AllMetrics', enabled: true } ]
  }
}

output functionAppName string = app.name
output functionAppUrl string = 'https://${app.properties.defaultHostName}'
output storageAccountName string = storage.name
output keyVaultName string = vault.name
output principalId string = app.identity.principalId
