import { ConfigError } from '../../core/errors';
import type { ProviderDefinition } from '../types';

// Placeholder while the provider is written: it connects to nothing and says so.
export const ascProvider: ProviderDefinition = {
  id: 'asc',
  label: 'App Store Connect',
  description: 'App Store Connect (not available yet in this build).',
  icon: 'plug',
  defaultBaseUrl: '',
  capabilities: [],
  credentialFields: [],
  secretKeys: [],
  accountLabel: () => 'App Store Connect',
  connect: () => {
    throw new ConfigError({ provider: 'App Store Connect', summary: 'App Store Connect support is not available in this build', hint: 'Update AppDesk.' });
  },
};
