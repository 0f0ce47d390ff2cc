/** The Backstage signal channel on which the backend announces new data. @public */
export const FLUX_SIGNAL_CHANNEL = 'flux-orchestrator';

/**
 * What the backend announces on FLUX_SIGNAL_CHANNEL: a sync finished; actions ran on objects; a watch saw
 * objects change (without ids: any object of the cluster may have changed, after a relist). Watch changes
 * are batched, at most about one signal per second per cluster.
 *
 * @public
 */
export type FluxSignal =
  | { type: 'sync-finished'; cluster: string }
  | { type: 'action'; ids: string[] }
  | { type: 'changed'; cluster: string; ids?: string[] };
