// Every provider AppDesk knows. The UI iterates this list; it never names a provider.
import { ascProvider } from './asc';
import { itcProvider } from './itc';
import { appTweakProvider } from './apptweak';
import { appsFlyerProvider } from './appsflyer';
import { apptentiveProvider } from './apptentive';
import type { ProviderDefinition, ProviderId } from './types';

export const providers: readonly ProviderDefinition[] = [ascProvider, itcProvider, appTweakProvider, appsFlyerProvider, apptentiveProvider];

export function providerById(id: string): ProviderDefinition | undefined {
  return providers.find((p) => p.id === (id as ProviderId));
}
