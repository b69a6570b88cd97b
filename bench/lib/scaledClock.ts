// A clock that runs `scale` times faster than real time, from `origin` (a Date.now() value), like the sandbox's
// rate-limit clock (`started + (Date.now() - started) * clockScale`). Given to the client's rate limiter, both sides
// count the same minute: with scale 6, ten real seconds are one minute on each.
import type { Clock } from '../../src/core/clock';

export function scaledClock(scale: number, origin = Date.now()): Clock {
  return {
    now: () => origin + (Date.now() - origin) * scale,
    setTimer(fn, ms) {
      const t = setTimeout(fn, Math.max(0, Math.ceil(ms / scale)));
      return () => clearTimeout(t);
    },
  };
}
