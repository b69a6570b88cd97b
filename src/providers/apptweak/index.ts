import { ConfigError } from '../../core/errors';
import type { ProviderDefinition } from '../types';

// Placeholder while the provider is written: it connects to nothing and says so.
export const appTweakProvider: ProviderDefinition = {
  id: 'apptweak',
  label: 'AppTweak',
  description: 'AppTweak (not available yet in this build).',
  icon: 'plug',
  defaultBaseUrl: '',
  capabilities: [],
  credentialFields: [],
  secretKeys: [],
  accountLabel: () => 'AppTweak',
  connect: () => {
    throw new ConfigError({ provider: 'AppTweak', summary: 'AppTweak support is not available in this build', hint: 'Update AppDesk.' });
  },
};
