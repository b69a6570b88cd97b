// What the extension shows of this provider before any of its code loads (see ../catalog.ts).
import type { ProviderInfo } from '../types';

export const appTweakInfo: ProviderInfo = {
  id: 'apptweak',
  label: 'AppTweak',
  description: 'AppTweak Console Data: your App Store Connect and Google Play integrations (own and shared) and their apps.',
  icon: 'graph',
  capabilities: ['groups'],
};
