// The providers as the extension sees them: what the tree and the overview show, at activation, from a few small
// info modules; each provider's code (clients, schemas, the libraries behind them) loads with its first account
// connection or account command. The CLI, which needs all of it at once, uses registry.ts.
import { ascInfo } from './asc/info';
import { itcInfo } from './itc/info';
import { appTweakInfo } from './apptweak/info';
import { appsFlyerInfo } from './appsflyer/info';
import { apptentiveInfo } from './apptentive/info';
import type { ProviderDefinition, ProviderEntry, ProviderInfo } from './types';

let loading: Promise<typeof import('../deferred')> | undefined;
/** The extension's deferred code (providers and panels, see src/deferred.ts), loaded once (again after a failure). */
export function deferred(): Promise<typeof import('../deferred')> {
  if (!loading) {
    loading = import('../deferred');
    loading.catch(() => (loading = undefined));
  }
  return loading;
}

function entry(info: ProviderInfo, pick: (m: typeof import('../deferred')) => ProviderDefinition): ProviderEntry {
  return { ...info, load: () => deferred().then(pick) };
}

export const catalog: readonly ProviderEntry[] = [
  entry(ascInfo, (m) => m.ascProvider),
  entry(itcInfo, (m) => m.itcProvider),
  entry(appTweakInfo, (m) => m.appTweakProvider),
  entry(appsFlyerInfo, (m) => m.appsFlyerProvider),
  entry(apptentiveInfo, (m) => m.apptentiveProvider),
];
