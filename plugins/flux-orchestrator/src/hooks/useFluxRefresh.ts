import { useSignal } from '@backstage/plugin-signals-react';
import { FLUX_SIGNAL_CHANNEL, FluxSignal } from '@internal/plugin-flux-orchestrator-common';
import { useEffect, useRef } from 'react';

export type { FluxSignal };

/**
 * Whether a signal may concern the object with this uid: it names the object, or names none (a sync finished,
 * a watch relisted: anything may have changed). Before the object is loaded its uid is unknown; the load brings
 * what the signal would have.
 */
export function concernsObject(signal: FluxSignal, uid: string | undefined): boolean {
  if (signal.type === 'sync-finished' || !signal.uids) return true;
  return uid !== undefined && signal.uids.includes(uid);
}

/** Signals closer together than this make one refresh: a burst of watch changes is not a burst of requests. */
const SIGNAL_COALESCE_MS = 1000;

/** Polling when signals are installed only catches what a lost connection missed. */
const POLL_WITH_SIGNALS_MS = 120_000;
const POLL_WITHOUT_SIGNALS_MS = 30_000;

/**
 * Calls `refresh` when the backend signals new data (a sync finished, an action ran, a watch saw a change) and
 * polls as a fallback.
 * `useSignal` quietly returns nothing when the app has no signal API, so pages then live on polling alone.
 */
export function useFluxRefresh(
  refresh: () => void,
  options: { relevant?: (signal: FluxSignal) => boolean; pollMs?: number } = {},
) {
  const { lastSignal, isSignalsAvailable } = useSignal<FluxSignal>(FLUX_SIGNAL_CHANNEL);
  const latest = useRef({ refresh, relevant: options.relevant });
  latest.current = { refresh, relevant: options.relevant };

  const pending = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => {
    if (!lastSignal) return;
    const { relevant } = latest.current;
    if (relevant && !relevant(lastSignal)) return;
    // The first relevant signal refreshes after a short pause; those that arrive meanwhile ride along.
    pending.current ??= setTimeout(() => {
      pending.current = undefined;
      latest.current.refresh();
    }, SIGNAL_COALESCE_MS);
  }, [lastSignal]);
  useEffect(() => () => clearTimeout(pending.current), []);

  const pollMs = options.pollMs ?? (isSignalsAvailable ? POLL_WITH_SIGNALS_MS : POLL_WITHOUT_SIGNALS_MS);
  useEffect(() => {
    const timer = setInterval(() => {
      // A hidden tab does not need fresh data; the next signal or visible poll brings it.
      if (document.visibilityState !== 'hidden') latest.current.refresh();
    }, pollMs);
    return () => clearInterval(timer);
  }, [pollMs]);
}
