import {
  Cluster,
  FLUX_STATUSES,
  StatusCounts,
  SyncRun,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { StoredCluster } from '../database/FluxStore';

const NO_OBJECTS = Object.fromEntries(
  [...FLUX_STATUSES, 'total'].map(s => [s, 0]),
) as StatusCounts;

/** A stored cluster as the API shows it: without credentials, with counts and its newest sync run. */
export function toClusterResponse(
  stored: StoredCluster,
  counts: StatusCounts | undefined,
  lastSyncRun: SyncRun | undefined,
): Cluster {
  return {
    name: stored.name,
    title: stored.title,
    description: stored.description,
    source: stored.source,
    server: stored.server,
    entityRef: stored.entityRef,
    readOnly: stored.source !== 'api',
    health: stored.health,
    lastSyncedAt: stored.lastSyncedAt,
    lastSyncRun,
    counts: counts ?? NO_OBJECTS,
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
  };
}
