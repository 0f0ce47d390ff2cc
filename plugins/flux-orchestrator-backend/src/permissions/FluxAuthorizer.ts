import {
  AuthService,
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  BasicPermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  createConditionTransformer,
  PermissionRuleset,
} from '@backstage/plugin-permission-node';
import {
  FLUX_CLUSTER_RESOURCE_TYPE,
  FLUX_RESOURCE_RESOURCE_TYPE,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { EntitySelections } from './EntitySelections';
import { FluxClusterSubject } from './fluxClusterRules';
import { FluxResourceQuery, FluxResourceSubject } from './fluxResourceRules';
import {
  FluxClusterQuery,
  ClusterScope,
  EVERYTHING,
  NOTHING,
  FluxResourceFact,
  ResourceScope,
  Scope,
  simplifyScope,
} from './Scope';

type FluxResourcePermission = ResourcePermission<
  typeof FLUX_RESOURCE_RESOURCE_TYPE
>;
type FluxClusterPermission = ResourcePermission<
  typeof FLUX_CLUSTER_RESOURCE_TYPE
>;

/** What a denial does: refuse the request (403), or count as seeing nothing (a secondary part of a page). */
export type WhenDenied = 'refuse' | 'nothing';

export function describePermission(permission: {
  name: string;
  attributes: { action?: string };
}) {
  return `${permission.name} (${permission.attributes.action ?? 'use'})`;
}

/** The 403 of a request that none of `permissions` lets through. */
export function permissionDenied(
  ...permissions: Array<{ name: string; attributes: { action?: string } }>
) {
  return new NotAllowedError(
    `Not allowed: ${permissions
      .map(describePermission)
      .join(' or ')} was denied by the permission policy`,
  );
}

/**
 * Turns the permission policy's answers into scopes the store runs as SQL. Every authorized service asks here,
 * so an HTTP route, a scheduled task or any later caller gets the same decision.
 *
 * Changes are made by users only: Backstage's permission service allows service principals without asking the
 * policy, so a service token could otherwise register clusters or patch objects past it. Reads stay open to
 * services (another plugin, a search collator), as everywhere in Backstage.
 */
export class FluxAuthorizer {
  private readonly toResourceQuery;
  private readonly toClusterQuery;

  constructor(
    private readonly options: {
      permissions: PermissionsService;
      auth: AuthService;
      entities: EntitySelections;
      resourceRules: PermissionRuleset<FluxResourceSubject, FluxResourceQuery>;
      clusterRules: PermissionRuleset<FluxClusterSubject, FluxClusterQuery>;
    },
  ) {
    this.toResourceQuery = createConditionTransformer(options.resourceRules);
    this.toClusterQuery = createConditionTransformer(options.clusterRules);
  }

  /** Refuses anything but a user: the policy cannot judge a service's change. */
  requireUser(credentials: BackstageCredentials, what: string) {
    if (!this.options.auth.isPrincipal(credentials, 'user')) {
      throw new NotAllowedError(
        `Not allowed: ${what} is done by users only, and these credentials are not a user's`,
      );
    }
  }

  /** Whether the policy allows any of the plain permissions. */
  async allowsAny(
    credentials: BackstageCredentials,
    ...anyOf: BasicPermission[]
  ): Promise<boolean> {
    const decisions = await this.options.permissions.authorize(
      anyOf.map(permission => ({ permission })),
      { credentials },
    );
    return decisions.some(d => d.result === AuthorizeResult.ALLOW);
  }

  /** Passes when the policy allows any of the plain permissions. */
  async requireAny(
    credentials: BackstageCredentials,
    ...anyOf: BasicPermission[]
  ) {
    if (!(await this.allowsAny(credentials, ...anyOf)))
      throw permissionDenied(...anyOf);
  }

  /** The Flux objects the credentials may use `permission` on. */
  async resourceScope(
    credentials: BackstageCredentials,
    permission: FluxResourcePermission,
    whenDenied: WhenDenied = 'refuse',
  ): Promise<ResourceScope> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return this.toResourceScope(decision, permission, whenDenied);
  }

  /** The clusters the credentials may use `permission` on. */
  async clusterScope(
    credentials: BackstageCredentials,
    permission: FluxClusterPermission,
    whenDenied: WhenDenied = 'refuse',
  ): Promise<ClusterScope> {
    const [decision] = await this.options.permissions.authorizeConditional(
      [{ permission }],
      { credentials },
    );
    return this.toClusterScope(decision, permission, whenDenied);
  }

  /**
   * A cluster scope and an object scope at once, asked of the policy in one request: pages that show clusters
   * with their objects' counts need both on every load.
   */
  async clusterAndResourceScopes(
    credentials: BackstageCredentials,
    clusters: { permission: FluxClusterPermission; whenDenied: WhenDenied },
    resources: { permission: FluxResourcePermission; whenDenied: WhenDenied },
  ): Promise<[ClusterScope, ResourceScope]> {
    const [forClusters, forResources] =
      await this.options.permissions.authorizeConditional(
        [
          { permission: clusters.permission },
          { permission: resources.permission },
        ],
        { credentials },
      );
    return Promise.all([
      this.toClusterScope(
        forClusters,
        clusters.permission,
        clusters.whenDenied,
      ),
      this.toResourceScope(
        forResources,
        resources.permission,
        resources.whenDenied,
      ),
    ]);
  }

  private toResourceScope(
    decision: PolicyDecision,
    permission: FluxResourcePermission,
    whenDenied: WhenDenied,
  ) {
    return this.toScope<FluxResourceFact>(
      decision,
      permission,
      whenDenied,
      async conditions =>
        this.resolveEntities(this.toResourceQuery(conditions)),
    );
  }

  private toClusterScope(
    decision: PolicyDecision,
    permission: FluxClusterPermission,
    whenDenied: WhenDenied,
  ) {
    return this.toScope<FluxClusterQuery>(
      decision,
      permission,
      whenDenied,
      async conditions => this.toClusterQuery(conditions) as ClusterScope,
    );
  }

  /** The policy's decision as a scope: everything, nothing (or a 403), or its conditions made facts. */
  private async toScope<T extends FluxResourceFact | FluxClusterQuery>(
    decision: PolicyDecision,
    permission: ResourcePermission,
    whenDenied: WhenDenied,
    fromConditions: (
      conditions: PermissionCriteria<PermissionCondition>,
    ) => Promise<Scope<T>>,
  ): Promise<Scope<T>> {
    if (decision.result === AuthorizeResult.CONDITIONAL)
      return simplifyScope(await fromConditions(decision.conditions));
    if (decision.result === AuthorizeResult.ALLOW) return EVERYTHING;
    if (whenDenied === 'refuse') throw permissionDenied(permission);
    return NOTHING;
  }

  /** Answers the entity facts of a decision through the catalog, leaving facts the database knows. */
  private async resolveEntities(
    criteria: PermissionCriteria<FluxResourceQuery> | Scope<FluxResourceQuery>,
  ): Promise<ResourceScope> {
    const node = criteria as Scope<FluxResourceQuery>;
    if ('allOf' in node)
      return {
        allOf: await Promise.all(node.allOf.map(c => this.resolveEntities(c))),
      };
    if ('anyOf' in node)
      return {
        anyOf: await Promise.all(node.anyOf.map(c => this.resolveEntities(c))),
      };
    if ('not' in node) return { not: await this.resolveEntities(node.not) };
    if ('entityRefs' in node)
      return this.options.entities.ofEntities(node.entityRefs);
    if ('ownedBy' in node) return this.options.entities.ofOwners(node.ownedBy);
    return node;
  }
}
