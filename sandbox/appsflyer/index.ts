import type { ApiEmulator, SandboxContext } from '../types';

// Placeholder until this emulator is written: answers 501 so nothing mistakes it for the real API.
export function createAppsFlyerEmulator(_ctx: SandboxContext): ApiEmulator {
  return {
    prefix: '/appsflyer',
    handle: () => ({ status: 501, body: { error: 'appsflyer emulator not implemented yet' } }),
    reset: () => {},
    credentials: () => ({}),
  };
}
