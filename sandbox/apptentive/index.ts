import type { ApiEmulator, SandboxContext } from '../types';

// Placeholder until this emulator is written: answers 501 so nothing mistakes it for the real API.
export function createApptentiveEmulator(_ctx: SandboxContext): ApiEmulator {
  return {
    prefix: '/apptentive',
    handle: () => ({ status: 501, body: { error: 'apptentive emulator not implemented yet' } }),
    reset: () => {},
    credentials: () => ({}),
  };
}
