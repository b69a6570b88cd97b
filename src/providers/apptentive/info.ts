// What the extension shows of this provider before any of its code loads (see ../catalog.ts).
import type { ProviderInfo } from '../types';

export const apptentiveInfo: ProviderInfo = {
  id: 'apptentive',
  label: 'Apptentive',
  description: 'Apptentive (legacy REST API): feedback records and surveys of one app per account, using that app\'s API token.',
  icon: 'feedback',
  capabilities: ['feedback', 'surveys'],
};
