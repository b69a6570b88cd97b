// What every service of one App Store Connect connection shares.
import type { Logger } from '../../core/logger';
import type { AscClient } from './client';
import type { AscSettings } from './keys';

export interface AscContext {
  client: AscClient;
  logger: Logger;
  settings: AscSettings;
}

/** Path segment, encoded: ids come from the API or the user and never carry a `/` into the path. */
export const seg = (id: string): string => encodeURIComponent(id);

/** Newest first by an ISO date attribute; missing dates last; stable otherwise. */
export function byDateDesc<T>(items: T[], date: (x: T) => string | null | undefined): T[] {
  return items
    .map((x, i) => ({ x, i, t: Date.parse(date(x) ?? '') }))
    .sort((a, b) => (Number.isNaN(b.t) ? -Infinity : b.t) - (Number.isNaN(a.t) ? -Infinity : a.t) || a.i - b.i)
    .map((e) => e.x);
}
