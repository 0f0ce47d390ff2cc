import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ActionRecord,
  Cluster,
  ClusterHealth,
  ClusterRegistration,
  ClusterUpdate,
  EntityFluxResources,
  FluxEvent,
  FluxResource,
  FluxResourceDetail,
  KubeconfigContext,
  OwnedFluxResources,
  Page,
  ReconcileStatus,
  Reliability,
  ReliabilityWindow,
  ResourceActionRequest,
  ResourceActionResponse,
  ResourceQuery,
  StatusTransition,
  StuckResources,
  Summary,
  SyncRun,
  RolloutQuery,
  Rollouts,
  UpgradeReadiness,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import createClient, { Client } from 'openapi-fetch';
import { FluxOrchestratorApi } from './FluxOrchestratorApi';
import { paths } from './generated/openapi';

/**
 * The answer's body. A failed request never gets here: the client's fetch throws it as a ResponseError, with
 * the backend's message, before openapi-fetch reads the body.
 */
function dataOf<T>(answer: { data?: T }): T {
  return answer.data as T;
}

/** A list query without the empty values, which mean "no filter" and are left out of the URL. */
function withoutEmptyValues<Q extends object>(query: Q): Q {
  return Object.fromEntries(
    Object.entries(query).filter(
      ([, value]) =>
        value !== undefined &&
        value !== '' &&
        !(Array.isArray(value) && value.length === 0),
    ),
  ) as Q;
}

/**
 * The client of the Flux Orchestrator backend's routes. Its calls are typed by the backend's OpenAPI spec (served
 * at `/api/flux-orchestrator/openapi.json`; `yarn generate:openapi` writes its types to ./generated), so that a
 * path, parameter or field the spec changes breaks this file's type check.
 *
 * @public
 */
export class FluxOrchestratorClient implements FluxOrchestratorApi {
  private readonly client: Client<paths>;

  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {
    this.client = createClient<paths>({
      // Lists as the spec has them: kind=Kustomization,HelmRelease.
      querySerializer: { array: { style: 'form', explode: false } },
      // openapi-fetch hands over a Request; Backstage's fetch middlewares each copy their input into a new
      // Request, and copying a Request with a body uses the body up, so the next copy would throw. They get
      // the URL and its parts instead, with the body as text.
      fetch: async request => {
        const response = await this.options.fetchApi.fetch(request.url, {
          method: request.method,
          headers: request.headers,
          body: request.body ? await request.text() : undefined,
          signal: request.signal,
        });
        if (!response.ok) throw await ResponseError.fromResponse(response);
        return response;
      },
    });
  }

  /** Asked on every call: discovery may answer differently over time. */
  private async base() {
    return {
      baseUrl: await this.options.discoveryApi.getBaseUrl('flux-orchestrator'),
    };
  }

  async listClusters(): Promise<Cluster[]> {
    return dataOf(
      await this.client.request('get', '/clusters', await this.base()),
    );
  }

  async getCluster(name: string): Promise<Cluster> {
    return dataOf(
      await this.client.request('get', '/clusters/{id}', {
        ...(await this.base()),
        params: { path: { id: name } },
      }),
    );
  }

  async getClusterHealth(name: string): Promise<ClusterHealth> {
    return dataOf(
      await this.client.request('get', '/clusters/{id}/health', {
        ...(await this.base()),
        params: { path: { id: name } },
      }),
    );
  }

  async createCluster(registration: ClusterRegistration): Promise<Cluster> {
    return dataOf(
      await this.client.request('post', '/clusters', {
        ...(await this.base()),
        body: registration,
      }),
    );
  }

  async updateCluster(name: string, update: ClusterUpdate): Promise<Cluster> {
    return dataOf(
      await this.client.request('put', '/clusters/{id}', {
        ...(await this.base()),
        params: { path: { id: name } },
        body: update,
      }),
    );
  }

  async deleteCluster(name: string): Promise<void> {
    await this.client.request('delete', '/clusters/{id}', {
      ...(await this.base()),
      params: { path: { id: name } },
    });
  }

  async listKubeconfigContexts(
    kubeconfig: string,
  ): Promise<KubeconfigContext[]> {
    return dataOf(
      await this.client.request('post', '/kubeconfig/contexts', {
        ...(await this.base()),
        body: { kubeconfig },
      }),
    );
  }

  async syncCluster(name: string): Promise<SyncRun> {
    return dataOf(
      await this.client.request('post', '/clusters/{id}/sync', {
        ...(await this.base()),
        params: { path: { id: name } },
      }),
    );
  }

  async listSyncRuns(name: string, limit?: number): Promise<SyncRun[]> {
    return dataOf(
      await this.client.request('get', '/clusters/{id}/sync-runs', {
        ...(await this.base()),
        params: { path: { id: name }, query: limit ? { limit } : {} },
      }),
    );
  }

  async listResources(query: ResourceQuery = {}): Promise<Page<FluxResource>> {
    return dataOf(
      await this.client.request('get', '/resources', {
        ...(await this.base()),
        params: { query: withoutEmptyValues(query) },
      }),
    );
  }

  async listClusterResources(
    name: string,
    query: Omit<ResourceQuery, 'cluster'> = {},
  ): Promise<Page<FluxResource>> {
    return dataOf(
      await this.client.request('get', '/clusters/{id}/resources', {
        ...(await this.base()),
        params: { path: { id: name }, query: withoutEmptyValues(query) },
      }),
    );
  }

  async getResource(id: string): Promise<FluxResourceDetail> {
    return dataOf(
      await this.client.request('get', '/resources/{id}', {
        ...(await this.base()),
        params: { path: { id } },
      }),
    );
  }

  async listResourceEvents(id: string): Promise<FluxEvent[]> {
    return dataOf(
      await this.client.request('get', '/resources/{id}/events', {
        ...(await this.base()),
        params: { path: { id } },
      }),
    );
  }

  async listResourceActions(id: string): Promise<ActionRecord[]> {
    return dataOf(
      await this.client.request('get', '/resources/{id}/actions', {
        ...(await this.base()),
        params: { path: { id } },
      }),
    );
  }

  async listResourceTransitions(id: string): Promise<StatusTransition[]> {
    return dataOf(
      await this.client.request('get', '/resources/{id}/transitions', {
        ...(await this.base()),
        params: { path: { id } },
      }),
    );
  }

  async listResourceDependents(id: string): Promise<FluxResource[]> {
    return dataOf(
      await this.client.request('get', '/resources/{id}/dependents', {
        ...(await this.base()),
        params: { path: { id } },
      }),
    );
  }

  async getReconcileStatus(id: string): Promise<ReconcileStatus> {
    return dataOf(
      await this.client.request('get', '/resources/{id}/reconcile-status', {
        ...(await this.base()),
        params: { path: { id } },
      }),
    );
  }

  async reconcile(
    ids: string[],
    options: { withSource?: boolean } = {},
  ): Promise<ResourceActionResponse> {
    const body: ResourceActionRequest = {
      ids,
      ...(options.withSource ? { withSource: true } : {}),
    };
    return dataOf(
      await this.client.request('post', '/resources/reconcile', {
        ...(await this.base()),
        body,
      }),
    );
  }

  async suspend(
    ids: string[],
    options: { reason?: string; until?: string } = {},
  ): Promise<ResourceActionResponse> {
    const body: ResourceActionRequest = {
      ids,
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.until ? { until: options.until } : {}),
    };
    return dataOf(
      await this.client.request('post', '/resources/suspend', {
        ...(await this.base()),
        body,
      }),
    );
  }

  async resume(ids: string[]): Promise<ResourceActionResponse> {
    return dataOf(
      await this.client.request('post', '/resources/resume', {
        ...(await this.base()),
        body: { ids },
      }),
    );
  }

  async force(ids: string[]): Promise<ResourceActionResponse> {
    return dataOf(
      await this.client.request('post', '/resources/force', {
        ...(await this.base()),
        body: { ids },
      }),
    );
  }

  async reset(ids: string[]): Promise<ResourceActionResponse> {
    return dataOf(
      await this.client.request('post', '/resources/reset', {
        ...(await this.base()),
        body: { ids },
      }),
    );
  }

  async getSummary(): Promise<Summary> {
    return dataOf(
      await this.client.request('get', '/summary', await this.base()),
    );
  }

  async getUpgradeReadiness(): Promise<UpgradeReadiness> {
    return dataOf(
      await this.client.request('get', '/upgrade-readiness', await this.base()),
    );
  }

  async listStuckResources(limit?: number): Promise<StuckResources> {
    return dataOf(
      await this.client.request('get', '/stuck-resources', {
        ...(await this.base()),
        params: { query: limit === undefined ? {} : { limit } },
      }),
    ) as StuckResources;
  }

  async getReliability(window: ReliabilityWindow): Promise<Reliability> {
    return dataOf(
      await this.client.request('get', '/reliability', {
        ...(await this.base()),
        params: { query: { window } },
      }),
    );
  }

  async getOwnedResources(ownerRef?: string): Promise<OwnedFluxResources> {
    return dataOf(
      await this.client.request('get', '/owned-resources', {
        ...(await this.base()),
        params: { query: ownerRef ? { ownerRef } : {} },
      }),
    ) as OwnedFluxResources;
  }

  async getRollouts(query: RolloutQuery): Promise<Rollouts> {
    return dataOf(
      await this.client.request('get', '/rollouts', {
        ...(await this.base()),
        params: { query },
      }),
    ) as Rollouts;
  }

  async getEntityResources(entityRef: string): Promise<EntityFluxResources> {
    return dataOf(
      await this.client.request('get', '/entity-resources', {
        ...(await this.base()),
        params: { query: { entityRef } },
      }),
    );
  }
}
