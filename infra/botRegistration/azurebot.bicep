// The Azure Bot: the bot's identity (a user-assigned managed identity, or a single-tenant app registration), its
// messaging endpoint on the web app, and the Microsoft Teams channel.

@minLength(4)
@maxLength(20)
param resourceBaseName string

@maxLength(42)
param botDisplayName string

@allowed(['UserAssignedMSI', 'SingleTenant'])
param botAppType string

@description('The client id the bot authenticates as: the managed identity\'s or the app registration\'s.')
param botAppId string

@description('UserAssignedMSI only: the resource id of the managed identity.')
param identityResourceId string = ''

param tenantId string

@description('Host name of the web app; the messaging endpoint is https://<host>/api/messages.')
param botAppDomain string

@allowed(['F0', 'S1'])
@description('F0 is free for standard channels such as Teams.')
param botServiceSku string = 'F0'

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: botAppId
    msaAppType: botAppType
    msaAppTenantId: tenantId
    msaAppMSIResourceId: botAppType == 'UserAssignedMSI' ? identityResourceId : null
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}
