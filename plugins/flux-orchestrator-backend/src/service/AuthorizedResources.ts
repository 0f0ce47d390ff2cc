import {
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import {
  ActionRecord,
  EntityFluxResources,
  EntityFluxSelector,
  FluxAction,
  FluxEvent,
  FluxResource,
  FluxResourceDetail,
  fluxClusterReadPermission,
  fluxResourceReadPermission,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
  FLUX_API_LIFECYCLE,
  formatResourceId,
  getFluxKind,
  OwnedFluxResources,
  Page,
  ReconcileStatus,
  Reliability,
  ReliabilityWindow,
  readEntitySelector,
  ResourceActionResult,
  ResourceQuery,
  RolloutQuery,
  Rollouts,
  StatusTransition,
  StuckResources,
  Summary,
  UpgradeReadiness,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ResourceActions } from '../actions/ResourceActions';
import {
  judgeStuck,
  SOURCE_KINDS,
  StuckThresholds,
} from '../history/judgeStuck';
import {
  assembleRollouts,
  DEPLOYING_KINDS,
  rowMentions,
} from '../rollouts/assembleRollouts';
import { FluxStore } from '../database/FluxStore';
import { EntitySelections, selectionOf } from '../permissions/EntitySelections';
import {
  describePermission,
  FluxAuthorizer,
} from '../permissions/FluxAuthorizer';
import {
  ClusterScope,
  EVERYTHING,
  intersect,
  NOTHING,
  ResourceScope,
} from '../permissions/Scope';
import { normalizeEntityRef } from '../permissions/normalizeEntityRef';
import { assessUpgrades } from '../upgrades/assessUpgrades';
import { Caller } from './AuthorizedClusters';

/** Every API version (`group/version`) a Flux release deprecates or removes. */
const DEPRECATED_VERSIONS = FLUX_API_LIFECYCLE.map(
  l => `${getFluxKind(l.kind)!.group}/${l.version}`,
);

/** Events of one object shown at most, newest first. */
const MAX_EVENTS = 100;

const WINDOW_MS: Record<ReliabilityWindow, number> = {
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};

/** Stuck objects judged at most per request; more are a fleet-wide outage, and the count says so. */
const MAX_STUCK = 1000;

/** Owned entities shown at most on "My Flux"; a user owning more sees the first by name. */
const MAX_OWNED_ENTITIES = 100;

/** Failing, stalled and stuck objects "My Flux" names; the counts tell of the rest. */
const MAX_OWNED_ATTENTION = 50;

/** Failing and stalled objects an entity's summary names; its counts tell of the rest. */
const MAX_ENTITY_ATTENTION = 20;

const ACTION_PERMISSIONS: Record<
  FluxAction,
  ResourcePermission<'flux-resource'>
> = {
  reconcile: fluxResourceReconcilePermission,
  suspend: fluxResourceSuspendPermission,
  resume: fluxResourceSuspendPermission,
  // Variants of a reconcile request, as `flux reconcile hr --force` and `--reset` are.
  force: fluxResourceReconcilePermission,
  reset: fluxResourceReconcilePermission,
};

function describe(resource: {
  kind: string;
  namespace: string;
  name: string;
  cluster: string;
}) {
  return `${resource.kind} ${resource.namespace}/${resource.name} on ${resource.cluster}`;
}

/** The entity ref of whoever the credentials belong to, for the action history. */
function actorOf(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? principal.subject ?? principal.type;
}

/**
 * Flux objects as a caller may see and act on them. The policy's decision becomes a scope that every query runs
 * as SQL: lists and counts hold only what the caller may read, an object outside it is not found (404), and an
 * action on an object the caller may read but not act on is refused (403) before anything is changed.
 */
export class AuthorizedResources {
  constructor(
    private readonly options: {
      store: FluxStore;
      actions: ResourceActions;
      authorizer: FluxAuthorizer;
      catalog: CatalogService;
      entities: EntitySelections;
      userInfo: UserInfoService;
      /** How long status changes are kept (`fluxOrchestrator.history.retention`). */
      historyRetentionMs: number;
      /** When an object is judged stuck (`fluxOrchestrator.stuck`). */
      stuckThresholds: StuckThresholds;
    },
  ) {}

  /** The object with the reasons it is judged stuck, if it is. */
  private withStuck<T extends FluxResource>(resource: T, now = Date.now()): T {
    const stuck = judgeStuck(resource, this.options.stuckThresholds, now);
    return stuck.length ? { ...resource, stuck } : resource;
  }

  private readScope(credentials: BackstageCredentials) {
    return this.options.authorizer.resourceScope(
      credentials,
      fluxResourceReadPermission,
    );
  }

  /** A page of the objects the caller may read; with `entityRef`, of that entity's objects only. */
  async list(
    credentials: BackstageCredentials,
    query: ResourceQuery,
  ): Promise<Page<FluxResource>> {
    const { entityRef, ...rest } = query;
    const [scope, entity] = await Promise.all([
      this.readScope(credentials),
      entityRef === undefined
        ? undefined
        : this.entitySelection(credentials, entityRef),
    ]);
    const page = await this.options.store.listResources(
      rest,
      entity ? intersect(scope, selectionOf(entity.selector)) : scope,
    );
    const now = Date.now();
    return { ...page, items: page.items.map(r => this.withStuck(r, now)) };
  }

  async get(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<FluxResourceDetail> {
    const resource = await this.options.store.getResource(
      id,
      await this.readScope(credentials),
    );
    if (!resource) throw new NotFoundError(`No Flux object with id "${id}"`);
    return this.withStuck(resource);
  }

  /** The objects the caller may read that are judged stuck, stuck longest first. */
  async stuck(
    credentials: BackstageCredentials,
    limit: number,
  ): Promise<StuckResources> {
    return this.judgeStuck(await this.readScope(credentials), limit);
  }

  private async judgeStuck(
    scope: ResourceScope,
    limit: number,
  ): Promise<StuckResources> {
    const now = new Date();
    const candidates = await this.options.store.listStuckCandidates(
      scope,
      this.options.stuckThresholds,
      now,
      MAX_STUCK,
    );
    const judged = candidates
      .map(resource => ({
        ...resource,
        stuck: judgeStuck(
          resource,
          this.options.stuckThresholds,
          now.getTime(),
        ),
      }))
      .filter(resource => resource.stuck.length > 0)
      .sort(
        (a, b) =>
          Math.min(...a.stuck.map(r => Date.parse(r.since))) -
          Math.min(...b.stuck.map(r => Date.parse(r.since))),
      );
    return { items: judged.slice(0, limit), total: judged.length };
  }

  /**
   * The users and groups whose entities count as owned: the signed-in user's ownership claims (they and their
   * groups), or the given user (and the groups the catalog says they are a member of, as the caller sees it) or
   * group.
   */
  private async ownershipClaims(
    credentials: BackstageCredentials,
    ownerRef: string | undefined,
  ): Promise<string[]> {
    if (!ownerRef) {
      if ((credentials.principal as { type?: string }).type !== 'user') {
        throw new InputError(
          'Only a signed-in user owns entities: give ownerRef, a user or a group',
        );
      }
      const info = await this.options.userInfo.getUserInfo(credentials);
      return info.ownershipEntityRefs.map(normalizeEntityRef);
    }
    let ref;
    try {
      ref = parseEntityRef(ownerRef, { defaultKind: 'group' });
    } catch (error) {
      throw new InputError(
        `Invalid query: ownerRef: ${(error as Error).message}`,
      );
    }
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind !== 'user' && kind !== 'group')
      throw new InputError(
        `Invalid query: ownerRef: must be a user or a group, not a ${ref.kind}`,
      );
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`No catalog entity ${stringifyEntityRef(ref)}`);
    const groups =
      kind === 'user'
        ? (entity.relations ?? [])
            .filter(r => r.type === 'memberOf')
            .map(r => r.targetRef)
        : [];
    return [stringifyEntityRef(entity), ...groups].map(normalizeEntityRef);
  }

  /**
   * How the objects of the entities a user or group owns stand, of those the caller may read: the entities (as
   * the caller sees the catalog), their counts, what fails and what is stuck.
   */
  async owned(
    credentials: BackstageCredentials,
    ownerRef?: string,
  ): Promise<OwnedFluxResources> {
    const claims = await this.ownershipClaims(credentials, ownerRef);
    const [scope, matchers] = await Promise.all([
      this.readScope(credentials),
      this.options.entities.matchers(credentials),
    ]);
    const owned = matchers
      .filter(m => m.owners.some(owner => claims.includes(owner)))
      .sort((a, b) => a.entityRef.localeCompare(b.entityRef))
      .slice(0, MAX_OWNED_ENTITIES);
    const scopeOf = (selector: EntityFluxSelector) => {
      try {
        return intersect(scope, selectionOf(selector));
      } catch {
        return NOTHING; // a selector that cannot be read selects nothing
      }
    };
    const ownedScope: ResourceScope = owned.length
      ? { anyOf: owned.map(m => scopeOf(m.selector)) }
      : NOTHING;
    const { store } = this.options;
    const [entities, description, attention, stuck] = await Promise.all([
      Promise.all(
        owned.map(async m => ({
          entityRef: m.entityRef,
          counts: (await store.describeScope(scopeOf(m.selector))).counts,
        })),
      ),
      store.describeScope(ownedScope),
      store.listResources(
        {
          status: ['stalled', 'failing'],
          sort: 'status',
          order: 'asc',
          limit: MAX_OWNED_ATTENTION,
        },
        ownedScope,
      ),
      this.judgeStuck(ownedScope, MAX_OWNED_ATTENTION),
    ]);
    const now = Date.now();
    return {
      owners: claims,
      entities,
      counts: description.counts,
      needsAttention: attention.items.map(r => this.withStuck(r, now)),
      stuck: stuck.items,
      stuckTotal: stuck.total,
    };
  }

  /** From the store while a watch keeps the cluster's Events live; else read from the cluster now. */
  async events(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<FluxEvent[]> {
    const resource = await this.get(credentials, id);
    const cluster = await this.options.store.getCluster(resource.cluster);
    if (cluster?.health.feed.mode === 'live')
      return this.options.store.listEvents(resource.id, MAX_EVENTS);
    return this.options.actions.events(resource);
  }

  async reconcileStatus(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<ReconcileStatus> {
    return this.options.actions.reconcileStatus(
      await this.get(credentials, id),
    );
  }

  async history(
    credentials: BackstageCredentials,
    id: string,
    limit: number,
  ): Promise<ActionRecord[]> {
    const resource = await this.get(credentials, id);
    return this.options.store.listActions(resource.id, limit);
  }

  /** The status changes of an object the caller may read, newest first. */
  async transitions(
    credentials: BackstageCredentials,
    id: string,
    limit: number,
  ): Promise<StatusTransition[]> {
    const resource = await this.get(credentials, id);
    return this.options.store.listTransitions(resource.id, limit);
  }

  /** Failures and mean time to recovery over a window, of the objects the caller may read. */
  async reliability(
    credentials: BackstageCredentials,
    window: ReliabilityWindow,
  ): Promise<Reliability> {
    const now = Date.now();
    const from = new Date(now - WINDOW_MS[window]);
    const figures = await this.options.store.getReliability(
      await this.readScope(credentials),
      from,
    );
    return {
      window,
      from: from.toISOString(),
      to: new Date(now).toISOString(),
      keptSince: new Date(now - this.options.historyRetentionMs).toISOString(),
      ...figures,
    };
  }

  async dependents(
    credentials: BackstageCredentials,
    id: string,
  ): Promise<FluxResource[]> {
    const scope = await this.readScope(credentials);
    const resource = await this.options.store.getResource(id, scope);
    if (!resource) throw new NotFoundError(`No Flux object with id "${id}"`);
    return this.options.store.listDependents(resource.id, scope);
  }

  /**
   * Counts of the objects the caller may read, the health of the clusters they may read, and the fleet's Flux
   * versions with the objects at deprecated or removed API versions.
   */
  async summary(credentials: BackstageCredentials): Promise<Summary> {
    const { authorizer, store } = this.options;
    const [clusters, objects] = await authorizer.clusterAndResourceScopes(
      credentials,
      { permission: fluxClusterReadPermission, whenDenied: 'nothing' },
      { permission: fluxResourceReadPermission, whenDenied: 'refuse' },
    );
    const [summary, upgrades] = await Promise.all([
      store.getSummary(objects, clusters),
      this.assessUpgrades(clusters, objects),
    ]);
    return {
      ...summary,
      upgrades: {
        fluxVersions: upgrades.fluxVersions.map(v => ({
          version: v.version,
          clusters: v.clusters.length,
        })),
        objectsAtDeprecatedVersions: upgrades.objectsAtDeprecatedVersions,
        objectsAtRemovedVersions: upgrades.objectsAtRemovedVersions,
      },
    };
  }

  /** The Flux versions of the clusters the caller may read, and their objects at deprecated API versions. */
  async upgradeReadiness(
    credentials: BackstageCredentials,
  ): Promise<UpgradeReadiness> {
    const [clusters, objects] =
      await this.options.authorizer.clusterAndResourceScopes(
        credentials,
        { permission: fluxClusterReadPermission, whenDenied: 'nothing' },
        { permission: fluxResourceReadPermission, whenDenied: 'refuse' },
      );
    return this.assessUpgrades(clusters, objects);
  }

  private async assessUpgrades(
    clusterScope: ClusterScope,
    resourceScope: ResourceScope,
  ): Promise<UpgradeReadiness> {
    const [clusters, counts] = await Promise.all([
      this.options.store.listClusters(clusterScope),
      this.options.store.countApiVersions(resourceScope, DEPRECATED_VERSIONS),
    ]);
    return assessUpgrades(
      clusters.map(c => ({
        name: c.name,
        fluxVersion: c.health.fluxVersion,
      })),
      counts,
    );
  }

  /**
   * The deployments of the objects the caller may read, across clusters: by origin or by the catalog entities (as
   * the caller sees the catalog) that select them. A source the caller may not read leaves its deployments'
   * origin unknown rather than shown.
   */
  async rollouts(
    credentials: BackstageCredentials,
    query: RolloutQuery,
  ): Promise<Rollouts> {
    const { store, entities } = this.options;
    const groupBy = query.groupBy ?? 'source';
    const scope = await this.readScope(credentials);
    const [deployers, sources, matchers] = await Promise.all([
      // Labels are read only to match entities' selectors; a source without an origin part resolves nothing.
      store.listOriginRows(scope, [...DEPLOYING_KINDS], {
        labels: groupBy === 'entity',
      }),
      store.listOriginRows(scope, [...SOURCE_KINDS], { withOrigin: true }),
      groupBy === 'entity' ? entities.matchers(credentials) : undefined,
    ]);
    const rows = assembleRollouts(
      deployers,
      sources,
      matchers &&
        (row => matchers.filter(m => m.selects(row)).map(m => m.entityRef)),
    );
    const text = query.search?.trim().toLowerCase();
    const found = text ? rows.filter(row => rowMentions(row, text)) : rows;
    const shown = query.disagreeing
      ? found.filter(row => row.disagrees)
      : found;
    const offset = query.offset ?? 0;
    return {
      groupBy,
      clusters: [
        ...new Set(shown.flatMap(row => row.clusters.map(c => c.cluster))),
      ].sort(),
      items: shown.slice(offset, offset + (query.limit ?? 50)),
      totalItems: shown.length,
      disagreeing: found.filter(row => row.disagrees).length,
    };
  }

  /**
   * How a catalog entity's objects stand (counts, where they are, which need attention), of those the caller may
   * read. The entity's objects are matched through its Kubernetes annotations.
   */
  async forEntity(
    credentials: BackstageCredentials,
    entityRef: string,
  ): Promise<EntityFluxResources> {
    const [scope, entity] = await Promise.all([
      this.readScope(credentials),
      this.entitySelection(credentials, entityRef),
    ]);
    const entityScope = intersect(scope, selectionOf(entity.selector));
    const [description, attention] = await Promise.all([
      this.options.store.describeScope(entityScope),
      this.options.store.listResources(
        {
          status: ['stalled', 'failing'],
          sort: 'status',
          order: 'asc',
          limit: MAX_ENTITY_ATTENTION,
        },
        entityScope,
      ),
    ]);
    return {
      entityRef: entity.entityRef,
      selector: entity.selector,
      ...description,
      needsAttention: attention.items,
    };
  }

  /**
   * The entity of `entityRef` and how its annotations select objects. It is read with the caller's own
   * credentials: an entity they cannot see in the catalog is not found here either.
   */
  private async entitySelection(
    credentials: BackstageCredentials,
    entityRef: string,
  ) {
    let ref;
    try {
      ref = parseEntityRef(entityRef);
    } catch (error) {
      throw new InputError(
        `Invalid query: entityRef: ${(error as Error).message}`,
      );
    }
    const entity = await this.options.catalog.getEntityByRef(ref, {
      credentials,
    });
    if (!entity)
      throw new NotFoundError(`No catalog entity ${stringifyEntityRef(ref)}`);
    const selector = readEntitySelector(entity.metadata.annotations);
    if (!selector) {
      throw new InputError(
        `Entity ${stringifyEntityRef(
          entity,
        )} has none of the annotations backstage.io/kubernetes-id, backstage.io/kubernetes-label-selector, backstage.io/kubernetes-namespace`,
      );
    }
    return { entityRef: stringifyEntityRef(entity), selector };
  }

  /**
   * Runs an action on every object of `ids`, or on none: unknown or unreadable ids are a 404, objects the caller
   * may read but not act on a 403 naming each, and a kind without `spec.suspend` a 400. With `withSource`, the
   * object's source is acted on too, so it must be in the caller's scope as well.
   */
  async act(
    caller: Caller,
    action: FluxAction,
    ids: string[],
    withSource: boolean,
    suspension: { reason?: string; until?: string } = {},
  ): Promise<ResourceActionResult[]> {
    const { authorizer, store, actions } = this.options;
    const { credentials } = caller;
    if (action !== 'suspend' && (suspension.reason || suspension.until)) {
      throw new InputError(
        `${
          suspension.reason ? 'reason' : 'until'
        }: only a suspend takes a reason and an end`,
      );
    }
    authorizer.requireUser(credentials, `${action} of Flux objects`);
    const permission = ACTION_PERMISSIONS[action];
    // The action's own denial is named first; then unreadable ids are unknown ones.
    const actionable = await authorizer.resourceScope(credentials, permission);
    const readable = await this.readScope(credentials);
    const unique = [...new Set(ids)];
    const found = new Map(
      (await store.getResources(unique, readable)).map(r => [r.id, r]),
    );
    const unknown = unique.filter(id => !found.has(id));
    if (unknown.length) {
      throw new NotFoundError(
        `No Flux object with id ${unknown
          .map(id => `"${id}"`)
          .join(', ')}; ids are cluster:Kind:namespace:name`,
      );
    }
    const resources = unique.map(id => found.get(id)!);
    if (action === 'force' || action === 'reset') {
      const others = resources.filter(r => r.kind !== 'HelmRelease');
      if (others.length) {
        throw new InputError(
          `ids: ${others
            .map(r => `${r.kind} ${r.namespace}/${r.name}`)
            .join(', ')} cannot be ${
            action === 'force' ? 'forced' : 'reset'
          } (only HelmReleases can)`,
        );
      }
    }
    if (action === 'suspend' || action === 'resume') {
      const fixed = resources.filter(r => !getFluxKind(r.kind)?.suspendable);
      if (fixed.length) {
        throw new InputError(
          `ids: ${fixed
            .map(r => `${r.kind} ${r.namespace}/${r.name}`)
            .join(
              ', ',
            )} cannot be suspended or resumed (the kind has no spec.suspend)`,
        );
      }
    }
    const targets = resources.map(r => ({ id: r.id, what: describe(r) }));
    if (action === 'reconcile' && withSource) {
      for (const r of resources) {
        if (!r.sourceRef) continue;
        const source = {
          cluster: r.cluster,
          kind: r.sourceRef.kind,
          namespace: r.sourceRef.namespace ?? r.namespace,
          name: r.sourceRef.name,
        };
        targets.push({
          id: formatResourceId(source),
          what: `${describe(source)} (the source of ${r.kind} ${r.namespace}/${
            r.name
          })`,
        });
      }
    }
    const allowed = new Set(
      (
        await store.getResources(
          targets.map(t => t.id),
          actionable,
        )
      ).map(r => r.id),
    );
    const refused = targets.filter(t => !allowed.has(t.id));
    if (refused.length) {
      // A source the portal has not stored cannot be judged by the policy, so it is refused as well, saying so.
      const known = new Set(
        (
          await store.getResources(
            refused.map(t => t.id),
            EVERYTHING,
          )
        ).map(r => r.id),
      );
      throw new NotAllowedError(
        `Not allowed: ${describePermission(
          permission,
        )} is not granted on ${refused
          .map(t =>
            known.has(t.id)
              ? t.what
              : `${t.what}, which has not been synced yet`,
          )
          .join(', ')}; nothing was changed`,
      );
    }
    return actions.run(action, resources, withSource, {
      actor: actorOf(credentials),
      request: caller.request,
      suspension,
    });
  }
}
