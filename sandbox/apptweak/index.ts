import type { ApiEmulator, SandboxContext } from '../types';

// Placeholder until this emulator is written: answers 501 so nothing mistakes it for the real API.
export function createAppTweakEmulator(_ctx: SandboxContext): ApiEmulator {
  return {
    prefix: '/apptweak',
    handle: () => ({ status: 501, body: { error: 'apptweak emulator not implemented yet' } }),
    reset: () => {},
    credentials: () => ({}),
  };
}
