import { useEffect, useState } from 'react';

/** Relative times are shown to the minute at best; a 15 s tick keeps them right without busy re-rendering. */
const TICK_MS = 15_000;

const listeners = new Set<(now: number) => void>();
let timer: ReturnType<typeof setInterval> | undefined;

/**
 * One interval for every subscriber, started by the first and stopped by the last, so a table with hundreds of
 * relative times re-renders them in one batch instead of running a timer per cell.
 */
function subscribe(listener: (now: number) => void): () => void {
  listeners.add(listener);
  if (!timer) {
    timer = setInterval(() => {
      const now = Date.now();
      listeners.forEach(l => l(now));
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (!listeners.size && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/** The current time, updated on the shared clock's tick. */
export function useNow(): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => subscribe(setNow), []);
  return now;
}
