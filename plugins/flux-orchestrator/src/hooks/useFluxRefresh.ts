import { useSignal } from '@backstage/plugin-signals-react';
import { useEffect, useRef } from 'react';

/** What the backend announces on the `flux-orchestrator` signal channel. */
export type FluxSignal =
  | { type: 'sync-finished'; cluster: string }
  | { type: 'action'; ids: string[] };

const FLUX_SIGNAL_CHANNEL = 'flux-orchestrator';

/** Polling when signals are installed only catches what a lost connection missed. */
const POLL_WITH_SIGNALS_MS = 120_000;
const POLL_WITHOUT_SIGNALS_MS = 30_000;

/**
 * Calls `refresh` when the backend signals new data (a sync finished, an action ran) and polls as a fallback.
 * `useSignal` quietly returns nothing when the app has no signal API, so pages then live on polling alone.
 */
export function useFluxRefresh(
  refresh: () => void,
  options: { relevant?: (signal: FluxSignal) => boolean; pollMs?: number } = {},
) {
  const { lastSignal, isSignalsAvailable } = useSignal<FluxSignal>(FLUX_SIGNAL_CHANNEL);
  const latest = useRef({ refresh, relevant: options.relevant });
  latest.current = { refresh, relevant: options.relevant };

  useEffect(() => {
    if (!lastSignal) return;
    const { relevant } = latest.current;
    if (!relevant || relevant(lastSignal)) latest.current.refresh();
  }, [lastSignal]);

  const pollMs = options.pollMs ?? (isSignalsAvailable ? POLL_WITH_SIGNALS_MS : POLL_WITHOUT_SIGNALS_MS);
  useEffect(() => {
    const timer = setInterval(() => {
      // A hidden tab does not need fresh data; the next signal or visible poll brings it.
      if (document.visibilityState !== 'hidden') latest.current.refresh();
    }, pollMs);
    return () => clearInterval(timer);
  }, [pollMs]);
}
