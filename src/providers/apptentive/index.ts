import { ConfigError } from '../../core/errors';
import type { ProviderDefinition } from '../types';

// Placeholder while the provider is written: it connects to nothing and says so.
export const apptentiveProvider: ProviderDefinition = {
  id: 'apptentive',
  label: 'Apptentive',
  description: 'Apptentive (not available yet in this build).',
  icon: 'plug',
  defaultBaseUrl: '',
  capabilities: [],
  credentialFields: [],
  secretKeys: [],
  accountLabel: () => 'Apptentive',
  connect: () => {
    throw new ConfigError({ provider: 'Apptentive', summary: 'Apptentive support is not available in this build', hint: 'Update AppDesk.' });
  },
};
