import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  FluxAction,
  FluxEvent,
  FluxKind,
  FluxResource,
  FluxResourceDetail,
  getFluxKind,
  ReconcileStatus,
  ResourceActionResult,
  SUSPENSION_ANNOTATIONS,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { Request } from 'express';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { FluxStore } from '../database/FluxStore';
import { EVERYTHING } from '../permissions/Scope';
import { describeClusterError } from '../kubernetes/describeClusterError';
import {
  FluxClusterClient,
  ObjectTarget,
} from '../kubernetes/FluxClusterClient';
import { toClusterCallError } from '../kubernetes/toClusterCallError';
import {
  KubernetesObject,
  parseFluxObject,
  REQUESTED_AT_ANNOTATION,
} from '../status/parseFluxObject';
import { RedactionOptions } from '../status/redactFluxObject';
import { mapWithConcurrency } from '../sync/mapWithConcurrency';

/** The annotations a suspension writes: who, why, since and until when (absent ones removed). */
function suspensionAnnotations(
  actor: string,
  intent: ActionContext['suspension'],
): Record<string, string | null> {
  return {
    [SUSPENSION_ANNOTATIONS.by]: actor,
    [SUSPENSION_ANNOTATIONS.reason]: intent?.reason ?? null,
    [SUSPENSION_ANNOTATIONS.until]: intent?.until
      ? new Date(intent.until).toISOString()
      : null,
    [SUSPENSION_ANNOTATIONS.at]: new Date().toISOString(),
  };
}

/**
 * What each action writes besides `spec.suspend`: the annotations that carry its token, and the status field
 * in which the controller echoes the token once it has handled the request (helm-controller's force and reset:
 * https://fluxcd.io/flux/components/helm/helmreleases/#forcing-a-release).
 */
const REQUESTS: Record<
  Exclude<FluxAction, 'suspend'>,
  { annotations: string[]; handledField: string }
> = {
  reconcile: {
    annotations: [REQUESTED_AT_ANNOTATION],
    handledField: 'lastHandledReconcileAt',
  },
  resume: {
    annotations: [REQUESTED_AT_ANNOTATION],
    handledField: 'lastHandledReconcileAt',
  },
  force: {
    annotations: [REQUESTED_AT_ANNOTATION, 'reconcile.fluxcd.io/forceAt'],
    handledField: 'lastHandledForceAt',
  },
  reset: {
    annotations: [REQUESTED_AT_ANNOTATION, 'reconcile.fluxcd.io/resetAt'],
    handledField: 'lastHandledResetAt',
  },
};

export interface ResourceActionsOptions {
  store: FluxStore;
  registry: ClusterRegistry;
  auditor: AuditorService;
  logger: LoggerService;
  /** Deadline of one object's action, cluster calls included. */
  timeoutMs: number;
  /** How long a reconcile waits for Flux to handle it before answering "not yet". */
  handledWaitMs: number;
  /** What to redact of a cluster's objects beyond the defaults (`fluxOrchestrator.secrets`). */
  redactionFor?: (cluster: string) => RedactionOptions;
  /** Told the uids of the objects after every batch, e.g. to signal the UI. */
  onActionsFinished?: (uids: string[]) => void;
}

export interface ActionContext {
  /** The entity ref of whoever asked. */
  actor: string;
  /** The HTTP request, when the action came through one; the audit event takes the caller's details from it. */
  request?: Request;
  /** Suspend: why, and when the portal is to resume the object; written to it as annotations. */
  suspension?: { reason?: string; until?: string };
  /**
   * Act only on the object as it was read (its resourceVersion is a precondition of the patch): the cluster
   * refuses the patch if anyone changed the object since, e.g. suspended it again with a later end.
   */
  onlyIfUnchanged?: boolean;
  /** What started the action when no person did, for the audit event (`suspension-expired`). */
  trigger?: string;
}

const POLL_INTERVAL_MS = 250;

/** What acting on one cluster needs: a client, and the version it serves of each Flux kind. */
interface ClusterHandle {
  client: FluxClusterClient;
  servedVersions: Partial<Record<FluxKind, string>>;
}

/** Where an object is: its kind, the version the cluster serves it at, and its namespace and name. */
function targetOf(
  servedVersions: Partial<Record<FluxKind, string>>,
  resource: {
    kind: string;
    namespace: string;
    name: string;
    apiVersion?: string;
  },
): ObjectTarget {
  const definition = getFluxKind(resource.kind);
  if (!definition)
    throw new NotFoundError(`"${resource.kind}" is not a Flux kind`);
  // The version the cluster serves now; the stored apiVersion when the cluster has not been synced since.
  const version =
    servedVersions[definition.kind] ??
    resource.apiVersion?.split('/')[1] ??
    definition.versions[0];
  return {
    definition,
    version,
    namespace: resource.namespace,
    name: resource.name,
  };
}

function withoutObject(detail: FluxResourceDetail): FluxResource {
  const { object: _object, redacted: _redacted, ...resource } = detail;
  return resource;
}

/**
 * Reconcile, suspend, resume, and a HelmRelease's force and reset, as the flux CLI does them: a JSON merge
 * patch of the request annotations (`REQUESTS`) or of `spec.suspend` (resume also requests a reconcile).
 * Every action is audited, kept in the object's history, and followed by a re-read of the object so the
 * stored row shows the new state at once.
 */
export class ResourceActions {
  constructor(private readonly options: ResourceActionsOptions) {}

  async run(
    action: FluxAction,
    resources: FluxResourceDetail[],
    withSource: boolean,
    context: ActionContext,
  ): Promise<ResourceActionResult[]> {
    // One client per cluster for the whole batch: a bulk action on many objects of one cluster decrypts its
    // credentials and reads its served versions once.
    const clusters = new Map<string, Promise<ClusterHandle>>();
    const openOnce = (name: string) => {
      if (!clusters.has(name)) clusters.set(name, this.openCluster(name));
      return clusters.get(name)!;
    };
    const results = await mapWithConcurrency(resources, 5, resource =>
      this.runOne(
        action,
        resource,
        withSource,
        openOnce(resource.cluster),
        context,
      ),
    );
    this.options.onActionsFinished?.(resources.map(r => r.uid).filter(Boolean));
    return results;
  }

  private async openCluster(name: string): Promise<ClusterHandle> {
    const [client, cluster] = await Promise.all([
      this.options.registry.getClient(name),
      this.options.store.getCluster(name),
    ]);
    return { client, servedVersions: cluster?.health.servedVersions ?? {} };
  }

  private async runOne(
    action: FluxAction,
    resource: FluxResourceDetail,
    withSource: boolean,
    cluster: Promise<ClusterHandle>,
    { actor, request, suspension, onlyIfUnchanged, trigger }: ActionContext,
  ): Promise<ResourceActionResult> {
    const { store, auditor, timeoutMs } = this.options;
    const intent = action === 'suspend' ? suspension : undefined;
    const audit = await auditor.createEvent({
      eventId: 'resource-action',
      severityLevel: 'medium',
      request,
      meta: {
        action,
        resourceId: resource.id,
        cluster: resource.cluster,
        withSource,
        ...(intent?.reason ? { reason: intent.reason } : {}),
        ...(intent?.until ? { until: intent.until } : {}),
        ...(trigger ? { trigger, actor } : {}),
      },
    });
    const signal = AbortSignal.timeout(timeoutMs);
    const requestedAt =
      action === 'suspend' ? undefined : new Date().toISOString();
    const result: ResourceActionResult = {
      id: resource.id,
      action,
      ok: false,
      requestedAt,
    };
    try {
      const { client, servedVersions } = await cluster;
      const target = targetOf(servedVersions, resource);
      if (action === 'reconcile' && withSource && resource.sourceRef) {
        // As `flux reconcile --with-source`: the source first, so the object reconciles against a fresh artifact.
        const sourceTarget = targetOf(servedVersions, {
          kind: resource.sourceRef.kind,
          namespace: resource.sourceRef.namespace ?? resource.namespace,
          name: resource.sourceRef.name,
        });
        await client.mergePatch(
          sourceTarget,
          {
            metadata: {
              annotations: { [REQUESTED_AT_ANNOTATION]: requestedAt },
            },
          },
          signal,
        );
      }
      const tokenRequest = action === 'suspend' ? undefined : REQUESTS[action];
      const annotations: Record<string, string | null> = tokenRequest
        ? Object.fromEntries(
            tokenRequest.annotations.map(a => [a, requestedAt!]),
          )
        : {};
      if (action === 'suspend') {
        Object.assign(annotations, suspensionAnnotations(actor, intent));
      } else if (action === 'resume') {
        // Resumed: the suspension's who, why and until no longer hold (null removes them in a merge patch).
        for (const key of Object.values(SUSPENSION_ANNOTATIONS))
          annotations[key] = null;
      }
      const patch: Record<string, unknown> = {};
      const metadata: Record<string, unknown> = {};
      if (Object.keys(annotations).length) metadata.annotations = annotations;
      const expected = (
        resource.object.metadata as { resourceVersion?: unknown }
      )?.resourceVersion;
      if (onlyIfUnchanged) {
        // Without the version it was read at, "unchanged" cannot be asked of the cluster: nothing is done.
        if (typeof expected !== 'string' || !expected)
          throw new Error(
            'the stored object has no resourceVersion to act on it only if unchanged',
          );
        metadata.resourceVersion = expected;
      }
      if (Object.keys(metadata).length) patch.metadata = metadata;
      if (action === 'suspend' || action === 'resume')
        patch.spec = { suspend: action === 'suspend' };
      const patched = await client.mergePatch(target, patch, signal);
      const latest = tokenRequest
        ? await this.waitForHandled(
            client,
            target,
            tokenRequest.handledField,
            requestedAt!,
            patched,
            signal,
          )
        : patched;
      await store.putResource(
        resource.cluster,
        resource.kind,
        resource.namespace,
        resource.name,
        parseFluxObject(
          target.definition,
          latest,
          this.options.redactionFor?.(resource.cluster),
        ),
        new Date(),
      );
      const fresh = await store.getResource(resource.id, EVERYTHING);
      result.ok = true;
      result.resource = fresh ? withoutObject(fresh) : undefined;
      if (tokenRequest)
        result.handled =
          latest.status?.[tokenRequest.handledField] === requestedAt;
      await audit.success({
        meta: {
          requestedAt: requestedAt ?? null,
          handled: result.handled ?? null,
        },
      });
    } catch (error) {
      result.error = signal.aborted
        ? `the cluster did not answer within ${Math.round(timeoutMs / 1000)}s`
        : describeClusterError(error);
      if ((error as { code?: unknown }).code === 404) {
        // Gone from the cluster: the stored row would only mislead until the next sync.
        await store.putResource(
          resource.cluster,
          resource.kind,
          resource.namespace,
          resource.name,
          undefined,
          new Date(),
        );
      }
      await audit.fail({ error: new Error(result.error) });
    }
    await store.recordAction({
      resourceId: resource.id,
      cluster: resource.cluster,
      kind: resource.kind,
      namespace: resource.namespace,
      name: resource.name,
      action,
      withSource: action === 'reconcile' && withSource,
      actor,
      outcome: result.ok ? 'succeeded' : 'failed',
      error: result.error,
      requestedAt,
      reason: intent?.reason,
      until: intent?.until,
      at: new Date().toISOString(),
    });
    return result;
  }

  /**
   * Polls the object until Flux has handled the request (`status[handledField]` is its token) or the short wait
   * is over; returns the last read.
   */
  private async waitForHandled(
    client: FluxClusterClient,
    target: ObjectTarget,
    handledField: string,
    requestedAt: string,
    patched: KubernetesObject,
    signal: AbortSignal,
  ): Promise<KubernetesObject> {
    let latest = patched;
    const deadline = Date.now() + this.options.handledWaitMs;
    while (
      latest.status?.[handledField] !== requestedAt &&
      Date.now() < deadline
    ) {
      await new Promise(resolve => setTimeout(resolve, POLL_INTERVAL_MS));
      latest = await client.getObject(target, signal);
    }
    return latest;
  }

  /** Re-reads an object live, stores it, and says whether Flux has handled its newest reconcile request. */
  async reconcileStatus(
    resource: FluxResourceDetail,
  ): Promise<ReconcileStatus> {
    const live = await this.readLive(resource);
    const fresh = (await this.options.store.getResource(
      resource.id,
      EVERYTHING,
    ))!;
    const requestedAt = live.metadata?.annotations?.[REQUESTED_AT_ANNOTATION];
    const lastHandledReconcileAt = live.status?.lastHandledReconcileAt as
      | string
      | undefined;
    return {
      id: resource.id,
      requestedAt,
      lastHandledReconcileAt,
      handled: Boolean(requestedAt) && requestedAt === lastHandledReconcileAt,
      resource: withoutObject(fresh),
    };
  }

  private async readLive(
    resource: FluxResourceDetail,
  ): Promise<KubernetesObject> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const { client, servedVersions } = await this.openCluster(
        resource.cluster,
      );
      const target = targetOf(servedVersions, resource);
      const live = await client.getObject(target, signal);
      await this.options.store.putResource(
        resource.cluster,
        resource.kind,
        resource.namespace,
        resource.name,
        parseFluxObject(
          target.definition,
          live,
          this.options.redactionFor?.(resource.cluster),
        ),
        new Date(),
      );
      return live;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) {
        await this.options.store.putResource(
          resource.cluster,
          resource.kind,
          resource.namespace,
          resource.name,
          undefined,
          new Date(),
        );
      }
      throw toClusterCallError(resource.cluster, error);
    }
  }

  /** The object's Kubernetes Events, live from its cluster. */
  async events(resource: FluxResourceDetail): Promise<FluxEvent[]> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const { client, servedVersions } = await this.openCluster(
        resource.cluster,
      );
      return await client.listEvents(
        targetOf(servedVersions, resource),
        signal,
      );
    } catch (error) {
      throw toClusterCallError(resource.cluster, error);
    }
  }
}
