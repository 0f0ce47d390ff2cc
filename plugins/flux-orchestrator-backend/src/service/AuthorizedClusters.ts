import {
  AuditorService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  Cluster,
  ClusterHealth,
  ClusterRegistration,
  ClusterUpdate,
  fluxClusterCreatePermission,
  fluxClusterDeletePermission,
  fluxClusterReadPermission,
  fluxClusterSyncPermission,
  fluxClusterUpdatePermission,
  fluxResourceReadPermission,
  KubeconfigContext,
  SyncRun,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ResourcePermission } from '@backstage/plugin-permission-common';
import { ClusterAdmin } from '../clusters/ClusterAdmin';
import { listKubeconfigContexts } from '../clusters/parseKubeconfig';
import { FluxStore, StoredCluster } from '../database/FluxStore';
import {
  describePermission,
  FluxAuthorizer,
  permissionDenied,
} from '../permissions/FluxAuthorizer';
import { isNothing } from '../permissions/Scope';
import { AuditedRequest, runAudited } from './runAudited';
import { toClusterResponse } from './toClusterResponse';

/** Who asks, and the request when the call comes from one (for the audit events). */
export interface Caller {
  credentials: BackstageCredentials;
  request?: AuditedRequest;
}

/**
 * Clusters as a caller may see and change them. Every method asks the permission policy; a cluster outside the
 * caller's read scope does not exist for them (404), and one they may see but not change is a 403.
 */
export class AuthorizedClusters {
  constructor(
    private readonly options: {
      store: FluxStore;
      admin: ClusterAdmin;
      /** Syncs a cluster now (on whichever replica claims it) and answers with the finished run. */
      syncNow: (name: string) => Promise<SyncRun>;
      authorizer: FluxAuthorizer;
      auditor: AuditorService;
      logger: LoggerService;
      /** Told of a newly registered cluster, to give it its tasks (sync, watch). */
      onClusterAdded?: (name: string) => Promise<void>;
    },
  ) {}

  /** The cluster, if the caller may read it. */
  async require(
    credentials: BackstageCredentials,
    name: string,
  ): Promise<StoredCluster> {
    const scope = await this.options.authorizer.clusterScope(
      credentials,
      fluxClusterReadPermission,
    );
    const cluster = await this.options.store.getCluster(name, scope);
    if (!cluster) throw new NotFoundError(`No cluster named "${name}"`);
    return cluster;
  }

  /**
   * `permission` denied outright is a 403 naming it; then a cluster the caller may not read is not found (404),
   * and one they may read but not change this way a 403 naming the cluster.
   */
  private async requireFor(
    caller: Caller,
    name: string,
    permission: ResourcePermission<'flux-cluster'>,
    what: string,
  ) {
    const { authorizer, store } = this.options;
    authorizer.requireUser(caller.credentials, what);
    const scope = await authorizer.clusterScope(caller.credentials, permission);
    const cluster = await this.require(caller.credentials, name);
    if (!(await store.getCluster(name, scope))) {
      throw new NotAllowedError(
        `Not allowed: ${describePermission(
          permission,
        )} is not granted on cluster "${name}"`,
      );
    }
    return cluster;
  }

  async list(credentials: BackstageCredentials): Promise<Cluster[]> {
    const { store, authorizer } = this.options;
    const [scope, objects] = await authorizer.clusterAndResourceScopes(
      credentials,
      { permission: fluxClusterReadPermission, whenDenied: 'refuse' },
      // Counts show only the objects the reader may see; none when they may see none.
      { permission: fluxResourceReadPermission, whenDenied: 'nothing' },
    );
    const [clusters, counts, runs] = await Promise.all([
      store.listClusters(scope),
      store.countByCluster(objects),
      store.latestSyncRuns(),
    ]);
    return clusters.map(c =>
      toClusterResponse(c, counts[c.name], runs[c.name]),
    );
  }

  async get(credentials: BackstageCredentials, name: string): Promise<Cluster> {
    return this.response(credentials, await this.require(credentials, name));
  }

  /** A cluster with the counts of the objects the caller may see, and its newest sync run. */
  private async response(
    credentials: BackstageCredentials,
    cluster: StoredCluster,
  ): Promise<Cluster> {
    const objects = await this.options.authorizer.resourceScope(
      credentials,
      fluxResourceReadPermission,
      'nothing',
    );
    const [counts, runs] = await Promise.all([
      this.options.store.countByCluster(objects, cluster.name),
      this.options.store.listSyncRuns(cluster.name, 1),
    ]);
    return toClusterResponse(cluster, counts[cluster.name], runs[0]);
  }

  async health(
    credentials: BackstageCredentials,
    name: string,
  ): Promise<ClusterHealth> {
    return (await this.require(credentials, name)).health;
  }

  async syncRuns(
    credentials: BackstageCredentials,
    name: string,
    limit: number,
  ): Promise<SyncRun[]> {
    const cluster = await this.require(credentials, name);
    return this.options.store.listSyncRuns(cluster.name, limit);
  }

  /** The contexts of a pasted kubeconfig, for the add and the edit form: either right is enough. */
  async kubeconfigContexts(
    credentials: BackstageCredentials,
    kubeconfig: string,
  ): Promise<KubeconfigContext[]> {
    const { authorizer } = this.options;
    const updatable = await authorizer.clusterScope(
      credentials,
      fluxClusterUpdatePermission,
      'nothing',
    );
    if (
      isNothing(updatable) &&
      !(await authorizer.allowsAny(credentials, fluxClusterCreatePermission))
    ) {
      throw permissionDenied(
        fluxClusterCreatePermission,
        fluxClusterUpdatePermission,
      );
    }
    return listKubeconfigContexts(kubeconfig);
  }

  /** Registers a cluster and starts its first sync in the background (the UI follows its lastSyncRun). */
  async register(caller: Caller, input: ClusterRegistration): Promise<Cluster> {
    const { authorizer, admin, auditor } = this.options;
    authorizer.requireUser(caller.credentials, 'registering a cluster');
    await authorizer.requireAny(
      caller.credentials,
      fluxClusterCreatePermission,
    );
    await runAudited(
      auditor,
      {
        eventId: 'cluster-register',
        request: caller.request,
        meta: { cluster: input.name },
      },
      () => admin.register(input),
    );
    await this.options.onClusterAdded?.(input.name);
    this.syncInBackground(input.name);
    // Answered even when the policy lets the caller register clusters it does not let them read: it is what
    // they just sent, without the credentials.
    const cluster = await this.options.store.getCluster(input.name);
    if (!cluster)
      throw new NotFoundError(
        `Cluster "${input.name}" was removed while it was being registered`,
      );
    return this.response(caller.credentials, cluster);
  }

  async update(
    caller: Caller,
    name: string,
    input: ClusterUpdate,
  ): Promise<Cluster> {
    await this.requireFor(
      caller,
      name,
      fluxClusterUpdatePermission,
      'changing a cluster',
    );
    await runAudited(
      this.options.auditor,
      {
        eventId: 'cluster-update',
        request: caller.request,
        meta: { cluster: name },
      },
      () => this.options.admin.update(name, input),
    );
    if (input.kubeconfig !== undefined || input.context !== undefined)
      this.syncInBackground(name);
    return this.get(caller.credentials, name);
  }

  async remove(caller: Caller, name: string): Promise<void> {
    await this.requireFor(
      caller,
      name,
      fluxClusterDeletePermission,
      'removing a cluster',
    );
    await runAudited(
      this.options.auditor,
      {
        eventId: 'cluster-delete',
        request: caller.request,
        meta: { cluster: name },
      },
      () => this.options.admin.remove(name),
    );
  }

  async sync(caller: Caller, name: string): Promise<SyncRun> {
    const cluster = await this.requireFor(
      caller,
      name,
      fluxClusterSyncPermission,
      'syncing a cluster',
    );
    return runAudited(
      this.options.auditor,
      {
        eventId: 'cluster-sync',
        request: caller.request,
        meta: { cluster: name },
      },
      () => this.options.syncNow(cluster.name),
    );
  }

  /** The first sync after a change runs in the background; its failure is recorded in its run, and logged. */
  private syncInBackground(name: string) {
    this.options
      .syncNow(name)
      .catch(error =>
        this.options.logger.warn(`Sync of cluster "${name}" failed: ${error}`),
      );
  }
}
