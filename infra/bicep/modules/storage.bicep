// The storage account: ReviewBot's tables and result container (the app creates any further ones it needs at start),
// and the container Flex Consumption deploys the package from.
@minLength(2)
param name string
param token string
param location string
param storagePrefix string
param appName string

var deploymentContainerName = 'app-package-${take(appName, 32)}-${take(token, 7)}'

resource account 'Microsoft.Storage/storageAccounts@2024-01-01' = {
  name: take('st${name}${token}', 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource results 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' = {
  parent: blobs
  name: '${storagePrefix}-results'
  properties: { publicAccess: 'None' }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' = [for table in ['nodes', 'tasks', 'deliveries']: {
  parent: tableService
  name: '${storagePrefix}${table}'
}]

output accountName string = account.name
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}${deploymentContainer.name}'
