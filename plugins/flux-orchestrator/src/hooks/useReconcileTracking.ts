import { useApi } from '@backstage/core-plugin-api';
import { ResourceActionResult } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { useCallback, useEffect, useRef, useState } from 'react';
import { fluxOrchestratorApiRef } from '../api/FluxOrchestratorApi';
import { errorMessageOf } from '../api/fieldErrors';

export type ReconcilePhase = 'Requested' | 'Handled' | 'Not handled yet';

export interface ReconcileTracking {
  phase: ReconcilePhase;
  requestedAt?: string;
  /** Why the last status check failed; the tracking goes on. */
  error?: string;
}

const POLL_MS = 2_000;
const GIVE_UP_MS = 60_000;

/**
 * Follows a reconcile request until Flux has handled it. A request writes the `reconcile.fluxcd.io/requestedAt`
 * annotation; the controller copies the token to `status.lastHandledReconcileAt` once it has reconciled
 * (https://fluxcd.io/flux/components/kustomize/kustomizations/#reconciling), which the backend reads live
 * as `handled`. Polls every 2 s and stops after a minute.
 */
export function useReconcileTracking(
  id: string,
  options: { onHandled?(): void; pollMs?: number; giveUpMs?: number } = {},
) {
  const api = useApi(fluxOrchestratorApiRef);
  const [tracking, setTracking] = useState<ReconcileTracking>();
  const onHandled = useRef(options.onHandled);
  onHandled.current = options.onHandled;
  const pollMs = options.pollMs ?? POLL_MS;
  const giveUpMs = options.giveUpMs ?? GIVE_UP_MS;

  const track = useCallback((result: ResourceActionResult) => {
    if (!result.ok || !result.requestedAt) return;
    setTracking({
      phase: result.handled ? 'Handled' : 'Requested',
      requestedAt: result.requestedAt,
    });
    if (result.handled) onHandled.current?.();
  }, []);

  const requested =
    tracking?.phase === 'Requested' ? tracking.requestedAt : undefined;
  useEffect(() => {
    if (!requested) return undefined;
    const startedAt = Date.now();
    let timer: ReturnType<typeof setTimeout>;
    let stopped = false;
    const poll = async () => {
      try {
        const status = await api.getReconcileStatus(id);
        if (stopped) return;
        if (status.handled) {
          setTracking({ phase: 'Handled', requestedAt: requested });
          onHandled.current?.();
          return;
        }
        setTracking({ phase: 'Requested', requestedAt: requested });
      } catch (error) {
        if (stopped) return;
        setTracking({
          phase: 'Requested',
          requestedAt: requested,
          error: errorMessageOf(error),
        });
      }
      if (Date.now() - startedAt >= giveUpMs) {
        setTracking({ phase: 'Not handled yet', requestedAt: requested });
        return;
      }
      timer = setTimeout(poll, pollMs);
    };
    timer = setTimeout(poll, pollMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, id, requested, pollMs, giveUpMs]);

  return { tracking, track };
}
