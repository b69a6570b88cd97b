import type { ApiEmulator, SandboxContext } from '../types';

// Placeholder until this emulator is written: answers 501 so nothing mistakes it for the real API.
export function createAscEmulator(_ctx: SandboxContext): ApiEmulator {
  return {
    prefix: '/asc',
    handle: () => ({ status: 501, body: { error: 'asc emulator not implemented yet' } }),
    reset: () => {},
    credentials: () => ({}),
  };
}
