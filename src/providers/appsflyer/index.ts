import { ConfigError } from '../../core/errors';
import type { ProviderDefinition } from '../types';

// Placeholder while the provider is written: it connects to nothing and says so.
export const appsFlyerProvider: ProviderDefinition = {
  id: 'appsflyer',
  label: 'AppsFlyer',
  description: 'AppsFlyer (not available yet in this build).',
  icon: 'plug',
  defaultBaseUrl: '',
  capabilities: [],
  credentialFields: [],
  secretKeys: [],
  accountLabel: () => 'AppsFlyer',
  connect: () => {
    throw new ConfigError({ provider: 'AppsFlyer', summary: 'AppsFlyer support is not available in this build', hint: 'Update AppDesk.' });
  },
};
