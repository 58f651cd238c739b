// The bot in Azure, in one resource group: a user-assigned managed identity, App Service for Linux (Node 22 LTS)
// with the health check on /healthz and Always On, the Azure Bot with the Teams channel, a storage account with
// the state container that only the identity can use (Storage Blob Data Contributor, no shared keys), and
// Application Insights on a Log Analytics workspace. See docs/deploy.md.
// Deploy with `az deployment group create … --template-file infra/azure.bicep` or `atk provision` (m365agents.yml).

@minLength(4)
@maxLength(20)
@description('Prefix of every resource name (lowercase letters and digits; the storage account name adds a suffix).')
param resourceBaseName string

@description('Where the resources live (the Azure Bot itself is global).')
param location string = resourceGroup().location

@maxLength(42)
@description('The bot name shown in the Azure Bot resource.')
param botDisplayName string = 'Enrollment Helper'

@allowed(['UserAssignedMSI', 'SingleTenant'])
@description('UserAssignedMSI: the bot authenticates as the managed identity created here (no secret). SingleTenant: as an app registration of your tenant (botAppId and botAppPassword).')
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant only: the client id of the bot\'s app registration.')
param botAppId string = ''

@secure()
@description('SingleTenant only: a client secret of that app registration.')
param botAppPassword string = ''

@description('The Microsoft Entra tenant of the bot (and of the app registration).')
param tenantId string = tenant().tenantId

@description('The Teams team whose members are helpdesk agents and whose channel receives escalations (19:…@thread.tacv2).')
param helpdeskTeamId string = ''

@allowed(['en', 'es', 'it'])
@description('Language of the ticket cards posted to the helpdesk channel.')
param helpdeskLocale string = 'en'

@description('Comma-separated Microsoft 365 tenants the bot serves; default: this tenant only.')
param allowedTenantIds string = tenant().tenantId

@minValue(30)
@maxValue(730)
@description('Days that logs and telemetry are kept (Log Analytics), and RETENTION_DAYS of the bot (conversation state, user references, resolved tickets).')
param retentionDays int = 90

@secure()
@description('Bearer token for GET /metrics; empty: /metrics is off.')
param metricsToken string = ''

@description('App Service plan SKU: B1 or higher (Always On needs Basic or above); P0v3/P1v3 to scale out.')
param appServiceSku string = 'B1'

@minValue(1)
@maxValue(10)
@description('Instances of the bot behind App Service\'s load balancer (they share the blob container).')
param instanceCount int = 1

var storageAccountName = take('${toLower(resourceBaseName)}${uniqueString(resourceGroup().id)}', 24)
var stateContainer = 'bot-state'
var usesIdentity = botAppType == 'UserAssignedMSI'
// The built-in role "Storage Blob Data Contributor" (read, write and delete blobs and containers).
var storageBlobDataContributor = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${resourceBaseName}-identity'
  location: location
}

resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: retentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-insights'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-01-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-01-01' = {
  parent: storage
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-01-01' = {
  parent: blobService
  name: stateContainer
  properties: {
    publicAccess: 'None'
  }
}

resource stateAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  scope: storage
  properties: {
    roleDefinitionId: storageBlobDataContributor
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource plan 'Microsoft.Web/serverfarms@2022-09-01' = {
  name: '${resourceBaseName}-plan'
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2022-09-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      appCommandLine: 'node scripts/start.cjs'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [
        { name: 'NODE_ENV', value: 'production' }
        // The package deployed is already built (scripts/runtime-stage.sh): no build on the server, run from the zip.
        { name: 'SCM_DO_BUILD_DURING_DEPLOYMENT', value: 'false' }
        { name: 'WEBSITE_RUN_FROM_PACKAGE', value: '1' }
        { name: 'MicrosoftAppType', value: botAppType }
        { name: 'MicrosoftAppId', value: usesIdentity ? identity.properties.clientId : botAppId }
        { name: 'MicrosoftAppPassword', value: usesIdentity ? '' : botAppPassword }
        { name: 'MicrosoftAppTenantId', value: tenantId }
        { name: 'STORAGE', value: 'blob' }
        { name: 'AZURE_STORAGE_ACCOUNT_URL', value: storage.properties.primaryEndpoints.blob }
        { name: 'AZURE_STORAGE_CONTAINER', value: stateContainer }
        { name: 'AZURE_CLIENT_ID', value: identity.properties.clientId }
        { name: 'HELPDESK_TEAM_ID', value: helpdeskTeamId }
        { name: 'HELPDESK_LOCALE', value: helpdeskLocale }
        { name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }
        { name: 'RETENTION_DAYS', value: string(retentionDays) }
        { name: 'METRICS_TOKEN', value: metricsToken }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
      ]
    }
  }
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botDisplayName: botDisplayName
    botAppType: botAppType
    botAppId: usesIdentity ? identity.properties.clientId : botAppId
    identityResourceId: usesIdentity ? identity.id : ''
    tenantId: tenantId
    botAppDomain: webApp.properties.defaultHostName
  }
}

// Written to env/.env.<environment> by `atk provision` (arm/deploy), and shown by `az deployment group show`.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ID string = usesIdentity ? identity.properties.clientId : botAppId
output BOT_TENANT_ID string = tenantId
output AZURE_STORAGE_ACCOUNT_URL string = storage.properties.primaryEndpoints.blob
