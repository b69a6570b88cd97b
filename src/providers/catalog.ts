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
/** The extension's deferred code (providers and panels, see src/deferred.ts), loaded once. */
export function deferred(): Promise<typeof import('../deferred')> {
  loading ??= import('../deferred');
  loading.catch(() => (loading = undefined));
  return loading;
}

function entry(info: ProviderInfo, load: () => Promise<ProviderDefinition>): ProviderEntry {
  let loaded: Promise<ProviderDefinition> | undefined;
  return {
    ...info,
    load: () => {
      loaded ??= load();
      loaded.catch(() => (loaded = undefined));
      return loaded;
    },
  };
}

export const catalog: readonly ProviderEntry[] = [
  entry(ascInfo, () => deferred().then((m) => m.ascProvider)),
  entry(itcInfo, () => deferred().then((m) => m.itcProvider)),
  entry(appTweakInfo, () => deferred().then((m) => m.appTweakProvider)),
  entry(appsFlyerInfo, () => deferred().then((m) => m.appsFlyerProvider)),
  entry(apptentiveInfo, () => deferred().then((m) => m.apptentiveProvider)),
];
