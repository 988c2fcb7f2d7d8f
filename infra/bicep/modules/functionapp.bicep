// The function app: Flex Consumption (runtime dotnet-isolated 10.0: ReviewBot.Functions.Worker), its secrets in Key
// Vault (read through Key Vault references by the app's identity), and the app settings ReviewBot reads.
param appName string
param name string
param token string
param location string
param storageAccountName string
param deploymentContainerUrl string
param signalRName string
param appInsightsConnectionString string
param storagePrefix string
@secure()
param githubWebhookSecret string
@secure()
param githubToken string
@secure()
param agentToken string
param maximumInstanceCount int

var blobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource signalr 'Microsoft.SignalRService/signalR@2024-03-01' existing = {
  name: signalRName
}

var storageConnection = 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('kv-${name}-${token}', 24)
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'github-webhook-secret'
  properties: { value: githubWebhookSecret }
}

resource agentTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'agent-token'
  properties: { value: agentToken }
}

resource githubTokenSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(githubToken)) {
  parent: vault
  name: 'github-token'
  properties: { value: githubToken }
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}-${token}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: { reserved: true }
}

var baseSettings = [
  { name: 'AzureWebJobsStorage', value: storageConnection }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
  { name: 'AzureSignalRConnectionString', value: signalr.listKeys().primaryConnectionString }
  { name: 'ReviewBot__Storage__ConnectionString', value: storageConnection }
  { name: 'ReviewBot__Storage__Prefix', value: storagePrefix }
  { name: 'ReviewBot__ConfigPath', value: 'reviewbot.yaml' }
  { name: 'ReviewBot__GitHub__WebhookSecret', value: '@Microsoft.KeyVault(SecretUri=${webhookSecret.properties.secretUri})' }
  { name: 'ReviewBot__Agents__Tokens__0', value: '@Microsoft.KeyVault(SecretUri=${agentTokenSecret.properties.secretUri})' }
]
var tokenSetting = empty(githubToken) ? [] : [
  { name: 'ReviewBot__GitHub__Token', value: '@Microsoft.KeyVault(SecretUri=${githubTokenSecret!.properties.secretUri})' }
]

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: appName
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat(baseSettings, tokenSetting)
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: 2048
      }
      // .NET 10, what the app targets: GA for the isolated worker (infra/bicep/README.md says where that was checked).
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Flex Consumption reads the package from the deployment container with the app's identity.
resource packageReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, app.id, blobDataOwnerRoleId)
  scope: storage
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataOwnerRoleId)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// Key Vault references resolve with the app's identity.
resource secretsReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, app.id, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: app.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
