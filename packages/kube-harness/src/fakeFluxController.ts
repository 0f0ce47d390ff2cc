import { clientNode, kubeConfigFrom } from './clientNode';
import { FluxGeneration } from './fluxCrds';
import { FLUX_KINDS } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { apiVersionOf, pluralOf } from './seed';

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
const FORCE_AT = 'reconcile.fluxcd.io/forceAt';
const RESET_AT = 'reconcile.fluxcd.io/resetAt';

export interface FakeFluxController {
  /** Requests handled so far, as `Kind/namespace/name@token`. */
  handled: string[];
  stop(): void;
}

/**
 * Plays the part of the Flux controllers for the reconcile round trip: when an object's
 * `reconcile.fluxcd.io/requestedAt` annotation changes, it writes that token to `status.lastHandledReconcileAt`
 * and marks the object Ready, as a controller does once it has reconciled
 * (https://fluxcd.io/flux/components/kustomize/kustomizations/#reconciliation-request-handling).
 * Suspended objects are left alone, as Flux leaves them. Where real controllers run beside it, `kinds` names the
 * kinds it answers for (the others are theirs).
 */
export async function startFakeFluxController(
  adminKubeconfig: string,
  generation: FluxGeneration,
  options: { delayMs?: number; kinds?: string[] } = {},
): Promise<FakeFluxController> {
  const k8s = await clientNode();
  const kc = await kubeConfigFrom(adminKubeconfig);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const mergePatch = k8s.setHeaderOptions(
    'Content-Type',
    k8s.PatchStrategy.MergePatch,
  );
  const watch = new k8s.Watch(kc);
  const handled: string[] = [];
  const aborts: AbortController[] = [];
  let stopped = false;

  const onEvent = (kind: string) => async (phase: string, obj: any) => {
    if (stopped || (phase !== 'ADDED' && phase !== 'MODIFIED')) return;
    const annotations = obj.metadata?.annotations ?? {};
    const token = annotations[REQUESTED_AT];
    if (
      !token ||
      token === obj.status?.lastHandledReconcileAt ||
      obj.spec?.suspend
    )
      return;
    if (options.delayMs) await new Promise(r => setTimeout(r, options.delayMs));
    const [group, version] = apiVersionOf(kind, generation).split('/');
    const now = new Date().toISOString();
    await custom
      .patchNamespacedCustomObjectStatus(
        {
          group,
          version,
          plural: pluralOf(kind),
          namespace: obj.metadata.namespace,
          name: obj.metadata.name,
          body: {
            status: {
              lastHandledReconcileAt: token,
              // helm-controller echoes a force or reset request that came with this reconcile request.
              ...(kind === 'HelmRelease' && annotations[FORCE_AT] === token
                ? { lastHandledForceAt: token }
                : {}),
              ...(kind === 'HelmRelease' && annotations[RESET_AT] === token
                ? { lastHandledResetAt: token }
                : {}),
              observedGeneration: obj.metadata.generation,
              conditions: [
                {
                  type: 'Ready',
                  status: 'True',
                  reason: 'ReconciliationSucceeded',
                  message: `Reconciliation requested at ${token} finished`,
                  lastTransitionTime: now,
                },
              ],
            },
          },
        },
        mergePatch,
      )
      .then(() =>
        handled.push(
          `${kind}/${obj.metadata.namespace}/${obj.metadata.name}@${token}`,
        ),
      )
      .catch(() => {
        // The object may have been deleted meanwhile; the next event brings it back if not.
      });
  };

  const watchKind = async (kind: string) => {
    const [group, version] = apiVersionOf(kind, generation).split('/');
    const path = `/apis/${group}/${version}/${pluralOf(kind)}`;
    const restart = () => {
      if (!stopped) setTimeout(() => watchKind(kind), 200);
    };
    aborts.push(await watch.watch(path, {}, onEvent(kind), restart));
  };
  await Promise.all(
    (options.kinds ?? FLUX_KINDS.map(def => def.kind)).map(watchKind),
  );

  return {
    handled,
    stop() {
      stopped = true;
      for (const abort of aborts) abort.abort();
    },
  };
}
