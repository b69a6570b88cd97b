// Every provider AppDesk knows. The UI iterates this list; it never names a provider.
import type { ProviderDefinition, ProviderId } from './types';

export const providers: readonly ProviderDefinition[] = [];

export function providerById(id: string): ProviderDefinition | undefined {
  return providers.find((p) => p.id === (id as ProviderId));
}
