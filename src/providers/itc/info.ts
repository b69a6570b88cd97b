// What the extension shows of this provider before any of its code loads (see ../catalog.ts).
import type { ProviderInfo } from '../types';

export const itcInfo: ProviderInfo = {
  id: 'itc',
  label: 'iTunes Connect (legacy)',
  description: 'The legacy iTunes Connect web API (Apple ID and password): app metadata, versions, build trains, external testers and review submission.',
  icon: 'history',
  capabilities: ['metadata', 'versions', 'builds', 'testers', 'release'],
};
