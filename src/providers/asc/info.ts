// What the extension shows of this provider before any of its code loads (see ../catalog.ts).
import type { ProviderInfo } from '../types';

export const ascInfo: ProviderInfo = {
  id: 'asc',
  label: 'App Store Connect',
  description: 'Versions and metadata, builds, TestFlight, reviews, submission and sales reports through the official App Store Connect API (API key).',
  icon: 'rocket',
  capabilities: ['metadata', 'versions', 'builds', 'testers', 'reviews', 'feedback', 'release', 'reports'],
};
