// What the extension shows of this provider before any of its code loads (see ../catalog.ts).
import type { ProviderInfo } from '../types';

export const appsFlyerInfo: ProviderInfo = {
  id: 'appsflyer',
  label: 'AppsFlyer',
  description:
    'AppsFlyer app list for ad networks: the apps you have Protect360 or cost (InCost) capability for. 20 requests a minute, 100 a day. CLI: APPSFLYER_TOKEN, optional APPSFLYER_CAPABILITY or --capability.',
  icon: 'pulse',
  capabilities: [],
};
