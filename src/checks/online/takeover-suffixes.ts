/**
 * Hosting suffixes where a name that does not exist (NXDOMAIN) can be created by anyone
 * with an account: a CNAME from your zone to such a dangling name lets them serve your
 * subdomain. Data, with where each fact comes from; keep it to services whose takeover
 * works through NXDOMAIN, since that is all the cname-takeover check can see.
 */
export interface TakeoverSuffix {
  suffix: string;
  service: string;
  source: string;
}

const AZURE =
  'https://learn.microsoft.com/azure/security/fundamentals/subdomain-takeover (resource types and their FQDNs)';
const CAN_I_TAKE_OVER =
  'https://github.com/EdOverflow/can-i-take-over-xyz (fingerprints.json: NXDOMAIN, vulnerable)';

const TAKEOVER_SUFFIXES: readonly TakeoverSuffix[] = [
  { suffix: 'azure-api.net', service: 'Azure API Management', source: AZURE },
  { suffix: 'azurecontainer.io', service: 'Azure Container Instances', source: AZURE },
  { suffix: 'azureedge.net', service: 'Azure CDN', source: AZURE },
  { suffix: 'azurefd.net', service: 'Azure Front Door', source: AZURE },
  { suffix: 'azurewebsites.net', service: 'Azure App Service', source: AZURE },
  { suffix: 'blob.core.windows.net', service: 'Azure Storage', source: AZURE },
  { suffix: 'cloudapp.azure.com', service: 'Azure public IP address', source: AZURE },
  { suffix: 'cloudapp.net', service: 'Azure Cloud Services (classic)', source: AZURE },
  { suffix: 'trafficmanager.net', service: 'Azure Traffic Manager', source: AZURE },
  { suffix: 'elasticbeanstalk.com', service: 'AWS Elastic Beanstalk', source: CAN_I_TAKE_OVER },
];

/** The hosting service whose suffix `target` falls under, if any. */
export function takeoverService(target: string): TakeoverSuffix | undefined {
  const name = target.toLowerCase().replace(/\.$/, '');
  return TAKEOVER_SUFFIXES.find(({ suffix }) => name === suffix || name.endsWith(`.${suffix}`));
}
