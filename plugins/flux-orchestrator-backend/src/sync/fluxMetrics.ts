import type { MetricsService } from '@backstage/backend-plugin-api/alpha';
import {
  FLUX_STATUSES,
  SyncRun,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxStore } from '../database/FluxStore';
import { EVERYTHING } from '../permissions/Scope';

/** What the sync and the watches report, as OpenTelemetry metrics through Backstage's metrics service. */
export interface FluxMetrics {
  /** A full sync of a cluster ended. */
  syncFinished(run: SyncRun): void;
  /** A watch event arrived (`type`: ADDED, MODIFIED, DELETED, BOOKMARK). */
  watchEvent(cluster: string, kind: string, type: string): void;
  /** A broken watch is being re-established. */
  watchReconnect(cluster: string, kind: string): void;
  /** How long an event took from its arrival to its row committed. */
  watchApplied(cluster: string, milliseconds: number): void;
}

/**
 * The metrics, listed in docs/operations.md, "Metrics":
 * - `flux_orchestrator.objects` (gauge): stored objects by `cluster` and `status`, read from the database at each
 *   collection (every replica reports the same figures: aggregate with max, not sum);
 * - `flux_orchestrator.clusters` (gauge): clusters by `feed` (live, reconnecting, polling) and `health`;
 * - `flux_orchestrator.sync.duration` (histogram, s): full syncs by `cluster` and `outcome`;
 * - `flux_orchestrator.watch.events` (counter): watch events by `cluster`, `kind` and `type`;
 * - `flux_orchestrator.watch.reconnects` (counter): re-established watches by `cluster` and `kind`;
 * - `flux_orchestrator.watch.apply_duration` (histogram, ms): from an event's arrival to its row committed.
 */
export function createFluxMetrics(
  metrics: MetricsService,
  store: FluxStore,
): FluxMetrics {
  metrics
    .createObservableGauge('flux_orchestrator.objects', {
      description: 'Flux objects stored, by cluster and status',
    })
    .addCallback(async result => {
      const counts = await store.countByCluster(EVERYTHING);
      for (const [cluster, byStatus] of Object.entries(counts)) {
        for (const status of FLUX_STATUSES)
          result.observe(byStatus[status] ?? 0, { cluster, status });
      }
    });
  metrics
    .createObservableGauge('flux_orchestrator.clusters', {
      description: 'Clusters by how their data arrives and their health',
    })
    .addCallback(async result => {
      const tally = new Map<
        string,
        { feed: string; health: string; n: number }
      >();
      for (const cluster of await store.listClusters()) {
        const key = `${cluster.health.feed.mode}/${cluster.health.status}`;
        const entry = tally.get(key) ?? {
          feed: cluster.health.feed.mode,
          health: cluster.health.status,
          n: 0,
        };
        entry.n += 1;
        tally.set(key, entry);
      }
      for (const { feed, health, n } of tally.values())
        result.observe(n, { feed, health });
    });
  const syncDuration = metrics.createHistogram(
    'flux_orchestrator.sync.duration',
    {
      description: 'Duration of full syncs of one cluster',
      unit: 's',
    },
  );
  const events = metrics.createCounter('flux_orchestrator.watch.events', {
    description: 'Watch events received',
  });
  const reconnects = metrics.createCounter(
    'flux_orchestrator.watch.reconnects',
    {
      description: 'Watches re-established after they broke',
    },
  );
  const applied = metrics.createHistogram(
    'flux_orchestrator.watch.apply_duration',
    {
      description: "From a watch event's arrival to its row committed",
      unit: 'ms',
    },
  );
  return {
    syncFinished: run =>
      syncDuration.record((run.durationMs ?? 0) / 1000, {
        cluster: run.cluster,
        outcome: run.status,
      }),
    watchEvent: (cluster, kind, type) => events.add(1, { cluster, kind, type }),
    watchReconnect: (cluster, kind) => reconnects.add(1, { cluster, kind }),
    watchApplied: (cluster, milliseconds) =>
      applied.record(milliseconds, { cluster }),
  };
}
