import type { ApiEmulator, SandboxContext } from '../types';

// Placeholder until this emulator is written: answers 501 so nothing mistakes it for the real API.
export function createItcEmulator(_ctx: SandboxContext): ApiEmulator {
  return {
    prefix: '/itc',
    handle: () => ({ status: 501, body: { error: 'itc emulator not implemented yet' } }),
    reset: () => {},
    credentials: () => ({}),
  };
}
