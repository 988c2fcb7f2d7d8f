// Azure SignalR Service in serverless mode: agents connect to it (the app's negotiate hands out the URL and token),
// their calls reach the app as upstream POSTs to /api/signalr/{hub}/{category}/{event}, signed with X-ASRS-Signature.
param name string
param token string
param location string
param sku string
param upstreamUrlTemplate string

resource signalr 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: 'sigr-${name}-${token}'
  location: location
  kind: 'SignalR'
  sku: {
    name: sku
    tier: sku == 'Free_F1' ? 'Free' : 'Standard'
    capacity: 1
  }
  properties: {
    features: [
      { flag: 'ServiceMode', value: 'Serverless' }
      { flag: 'EnableConnectivityLogs', value: 'True' }
    ]
    cors: { allowedOrigins: ['*'] }
    upstream: {
      templates: [
        {
          hubPattern: '*'
          categoryPattern: '*'
          eventPattern: '*'
          urlTemplate: upstreamUrlTemplate
        }
      ]
    }
  }
}

output name string = signalr.name
output hostName string = signalr.properties.hostName
