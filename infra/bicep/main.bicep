// ReviewBot on Azure: a Functions app (.NET isolated worker) on Flex Consumption, Azure SignalR Service in serverless mode with an
// upstream to the app, Storage (tables, result blobs, deployment package), Key Vault for the secrets, Application
// Insights. Deploy: see README.md beside this file (az deployment group create, then zip deploy).
targetScope = 'resourceGroup'

@description('Short base name of every resource: lowercase letters and digits.')
@minLength(2)
@maxLength(10)
param name string = 'reviewbot'

@description('Region of every resource.')
param location string = resourceGroup().location

@description('Azure SignalR Service tier: Free_F1 (20 connections) or Standard_S1.')
@allowed(['Free_F1', 'Standard_S1'])
param signalRSku string = 'Free_F1'

@description('Prefix of ReviewBot\'s table and blob container names (ReviewBot:Storage:Prefix).')
param storagePrefix string = 'reviewbot'

@description('The GitHub App\'s (or repository webhook\'s) secret; stored in Key Vault.')
@secure()
param githubWebhookSecret string

@description('A GitHub token ReviewBot reports with (installation token or PAT); stored in Key Vault. Empty: findings are only stored.')
@secure()
param githubToken string = ''

@description('The token agents start with (--token); stored in Key Vault.')
@secure()
param agentToken string

@description('Most instances Flex Consumption may scale out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

var token = toLower(uniqueString(subscription().id, resourceGroup().id, location))
var appName = 'func-${name}-${token}'
var hostName = '${appName}.azurewebsites.net'

module insights 'modules/insights.bicep' = {
  name: 'insights'
  params: {
    name: name
    token: token
    location: location
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    name: name
    token: token
    location: location
    storagePrefix: storagePrefix
    appName: appName
  }
}

module signalr 'modules/signalr.bicep' = {
  name: 'signalr'
  params: {
    name: name
    token: token
    location: location
    sku: signalRSku
    // The literal default host name avoids a cycle: the app's settings need the service's keys.
    upstreamUrlTemplate: 'https://${hostName}/api/signalr/{hub}/{category}/{event}'
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    appName: appName
    name: name
    token: token
    location: location
    storageAccountName: storage.outputs.accountName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    signalRName: signalr.outputs.name
    appInsightsConnectionString: insights.outputs.connectionString
    storagePrefix: storagePrefix
    githubWebhookSecret: githubWebhookSecret
    githubToken: githubToken
    agentToken: agentToken
    maximumInstanceCount: maximumInstanceCount
  }
}

@description('The function app\'s name (for az functionapp deployment source config-zip).')
output functionAppName string = functionApp.outputs.name

@description('Base URL of the app; every API is under /api.')
output functionAppUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('GitHub App "Webhook URL".')
output githubWebhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/github/webhook'

@description('GitLab webhook URL.')
output gitlabWebhookUrl string = 'https://${functionApp.outputs.defaultHostName}/api/gitlab/webhook'

@description('What agents take as --server.')
output agentServerUrl string = 'https://${functionApp.outputs.defaultHostName}'

@description('Azure SignalR Service host the agents end up connected to.')
output signalRHostName string = signalr.outputs.hostName

@description('The upstream template as configured; it must name the app\'s real host (compare with functionAppUrl).')
output signalRUpstreamUrl string = 'https://${hostName}/api/signalr/{hub}/{category}/{event}'
