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
  Page,
  ReconcileStatus,
  ResourceActionRequest,
  ResourceActionResponse,
  ResourceQuery,
  Summary,
  SyncRun,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxOrchestratorApi } from './FluxOrchestratorApi';

/** Encodes a resource query the way the backend's list routes read it (lists comma-joined). */
export function toQueryString(query: ResourceQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const cluster = (name: string) => `/clusters/${encodeURIComponent(name)}`;
const resource = (id: string) => `/resources/${encodeURIComponent(id)}`;

/** @public */
export class FluxOrchestratorClient implements FluxOrchestratorApi {
  constructor(
    private readonly options: {
      discoveryApi: DiscoveryApi;
      fetchApi: FetchApi;
    },
  ) {}

  private async send(path: string, init?: RequestInit): Promise<Response> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl(
      'flux-orchestrator',
    );
    const response = await this.options.fetchApi.fetch(
      `${baseUrl}${path}`,
      init,
    );
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.send(path, init)).json()) as T;
  }

  private post<T>(path: string, body: unknown, method = 'POST'): Promise<T> {
    return this.request<T>(path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
  }

  listClusters() {
    return this.request<Cluster[]>('/clusters');
  }

  getCluster(name: string) {
    return this.request<Cluster>(cluster(name));
  }

  getClusterHealth(name: string) {
    return this.request<ClusterHealth>(`${cluster(name)}/health`);
  }

  createCluster(registration: ClusterRegistration) {
    return this.post<Cluster>('/clusters', registration);
  }

  updateCluster(name: string, update: ClusterUpdate) {
    return this.post<Cluster>(cluster(name), update, 'PUT');
  }

  async deleteCluster(name: string) {
    await this.send(cluster(name), { method: 'DELETE' });
  }

  listKubeconfigContexts(kubeconfig: string) {
    return this.post<KubeconfigContext[]>('/kubeconfig/contexts', {
      kubeconfig,
    });
  }

  syncCluster(name: string) {
    return this.request<SyncRun>(`${cluster(name)}/sync`, { method: 'POST' });
  }

  listSyncRuns(name: string, limit?: number) {
    const query = limit ? `?limit=${limit}` : '';
    return this.request<SyncRun[]>(`${cluster(name)}/sync-runs${query}`);
  }

  listResources(query: ResourceQuery = {}) {
    return this.request<Page<FluxResource>>(
      `/resources${toQueryString(query)}`,
    );
  }

  listClusterResources(
    name: string,
    query: Omit<ResourceQuery, 'cluster'> = {},
  ) {
    return this.request<Page<FluxResource>>(
      `${cluster(name)}/resources${toQueryString(query)}`,
    );
  }

  getResource(id: string) {
    return this.request<FluxResourceDetail>(resource(id));
  }

  listResourceEvents(id: string) {
    return this.request<FluxEvent[]>(`${resource(id)}/events`);
  }

  listResourceActions(id: string) {
    return this.request<ActionRecord[]>(`${resource(id)}/actions`);
  }

  listResourceDependents(id: string) {
    return this.request<FluxResource[]>(`${resource(id)}/dependents`);
  }

  getReconcileStatus(id: string) {
    return this.request<ReconcileStatus>(`${resource(id)}/reconcile-status`);
  }

  reconcile(ids: string[], options: { withSource?: boolean } = {}) {
    const body: ResourceActionRequest = {
      ids,
      ...(options.withSource ? { withSource: true } : {}),
    };
    return this.post<ResourceActionResponse>('/resources/reconcile', body);
  }

  suspend(ids: string[]) {
    return this.post<ResourceActionResponse>('/resources/suspend', { ids });
  }

  resume(ids: string[]) {
    return this.post<ResourceActionResponse>('/resources/resume', { ids });
  }

  force(ids: string[]) {
    return this.post<ResourceActionResponse>('/resources/force', { ids });
  }

  reset(ids: string[]) {
    return this.post<ResourceActionResponse>('/resources/reset', { ids });
  }

  getSummary() {
    return this.request<Summary>('/summary');
  }

  getEntityResources(entityRef: string) {
    return this.request<EntityFluxResources>(
      `/entity-resources?entityRef=${encodeURIComponent(entityRef)}`,
    );
  }
}
