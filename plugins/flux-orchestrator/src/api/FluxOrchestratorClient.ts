import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  Cluster,
  ClusterHealth,
  FluxResource,
  FluxResourceDetail,
  Page,
  ResourceQuery,
  Summary,
  SyncRun,
} from '@internal/plugin-flux-orchestrator-common';
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

/** @public */
export class FluxOrchestratorClient implements FluxOrchestratorApi {
  constructor(
    private readonly options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi },
  ) {}

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = await this.options.discoveryApi.getBaseUrl('flux-orchestrator');
    const response = await this.options.fetchApi.fetch(`${baseUrl}${path}`, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  listClusters() {
    return this.request<Cluster[]>('/clusters');
  }

  getCluster(name: string) {
    return this.request<Cluster>(`/clusters/${encodeURIComponent(name)}`);
  }

  getClusterHealth(name: string) {
    return this.request<ClusterHealth>(`/clusters/${encodeURIComponent(name)}/health`);
  }

  syncCluster(name: string) {
    return this.request<SyncRun>(`/clusters/${encodeURIComponent(name)}/sync`, {
      method: 'POST',
    });
  }

  listSyncRuns(name: string, limit?: number) {
    const query = limit ? `?limit=${limit}` : '';
    return this.request<SyncRun[]>(
      `/clusters/${encodeURIComponent(name)}/sync-runs${query}`,
    );
  }

  listResources(query: ResourceQuery = {}) {
    return this.request<Page<FluxResource>>(`/resources${toQueryString(query)}`);
  }

  getResource(id: string) {
    return this.request<FluxResourceDetail>(`/resources/${encodeURIComponent(id)}`);
  }

  getSummary() {
    return this.request<Summary>('/summary');
  }
}
