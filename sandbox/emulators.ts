// The emulators, one per provider API, each under its own path prefix.
import type { ApiEmulator, SandboxContext } from './types';
import { createAscEmulator } from './asc';
import { createItcEmulator } from './itc';
import { createAppTweakEmulator } from './apptweak';
import { createAppsFlyerEmulator } from './appsflyer';
import { createApptentiveEmulator } from './apptentive';

export function createEmulators(ctx: SandboxContext): ApiEmulator[] {
  return [
    createAscEmulator(ctx),
    createItcEmulator(ctx),
    createAppTweakEmulator(ctx),
    createAppsFlyerEmulator(ctx),
    createApptentiveEmulator(ctx),
  ];
}
