import { ConfigError } from '../../core/errors';
import type { ProviderDefinition } from '../types';

// Placeholder while the provider is written: it connects to nothing and says so.
export const itcProvider: ProviderDefinition = {
  id: 'itc',
  label: 'iTunes Connect (legacy)',
  description: 'iTunes Connect (legacy) (not available yet in this build).',
  icon: 'plug',
  defaultBaseUrl: '',
  capabilities: [],
  credentialFields: [],
  secretKeys: [],
  accountLabel: () => 'iTunes Connect (legacy)',
  connect: () => {
    throw new ConfigError({ provider: 'iTunes Connect (legacy)', summary: 'iTunes Connect (legacy) support is not available in this build', hint: 'Update AppDesk.' });
  },
};
