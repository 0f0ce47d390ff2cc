import { useSignal } from '@backstage/plugin-signals-react';
import {
  FLUX_SIGNAL_CHANNEL,
  FluxSignal,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { useEffect, useRef } from 'react';

export type { FluxSignal };

/**
 * Whether a signal may concern the object with this uid: it names the object, or names none (a sync finished,
 * a watch relisted: anything may have changed). Before the object is loaded its uid is unknown; the load brings
 * what the signal would have.
 */
export function concernsObject(
  signal: FluxSignal,
  uid: string | undefined,
): boolean {
  if (signal.type === 'sync-finished' || !signal.uids) return true;
  return uid !== undefined && signal.uids.includes(uid);
}

/**
 * A list reloads at once when a signal names one of the rows it shows (or names none: a sync, a relist), and
 * later otherwise: a change elsewhere may add a row or move one, but need not cost every open list a request
 * each second on a busy fleet.
 */
export function listRelevance(rows: Array<{ uid: string }> | undefined) {
  return (signal: FluxSignal): Relevance => {
    if (signal.type === 'sync-finished' || !signal.uids) return true;
    const shown = new Set(rows?.map(row => row.uid));
    return signal.uids.some(uid => shown.has(uid)) ? true : 'later';
  };
}

/** Signals closer together than this make one refresh: a burst of watch changes is not a burst of requests. */
const SIGNAL_COALESCE_MS = 1000;

/** How soon a change that names none of a list's rows reloads it. */
const LATER_MS = 5_000;

/** Whether a signal reloads the data: at once (within a second), later (within five), or not at all. */
export type Relevance = boolean | 'later';

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
  options: {
    relevant?: (signal: FluxSignal) => Relevance;
    pollMs?: number;
  } = {},
) {
  const { lastSignal, isSignalsAvailable } =
    useSignal<FluxSignal>(FLUX_SIGNAL_CHANNEL);
  const latest = useRef({ refresh, relevant: options.relevant });
  latest.current = { refresh, relevant: options.relevant };

  const pending = useRef<{
    timer: ReturnType<typeof setTimeout>;
    due: number;
  }>();
  useEffect(() => {
    if (!lastSignal) return;
    const relevance = latest.current.relevant?.(lastSignal) ?? true;
    if (relevance === false) return;
    // A relevant signal refreshes after a pause; those that arrive meanwhile ride along, and one that matters
    // sooner brings the refresh forward.
    const delay = relevance === 'later' ? LATER_MS : SIGNAL_COALESCE_MS;
    const due = Date.now() + delay;
    if (pending.current && pending.current.due <= due) return;
    clearTimeout(pending.current?.timer);
    pending.current = {
      due,
      timer: setTimeout(() => {
        pending.current = undefined;
        latest.current.refresh();
      }, delay),
    };
  }, [lastSignal]);
  useEffect(() => () => clearTimeout(pending.current?.timer), []);

  const pollMs =
    options.pollMs ??
    (isSignalsAvailable ? POLL_WITH_SIGNALS_MS : POLL_WITHOUT_SIGNALS_MS);
  useEffect(() => {
    const timer = setInterval(() => {
      // A hidden tab does not need fresh data; the next signal or visible poll brings it.
      if (document.visibilityState !== 'hidden') latest.current.refresh();
    }, pollMs);
    return () => clearInterval(timer);
  }, [pollMs]);
}
