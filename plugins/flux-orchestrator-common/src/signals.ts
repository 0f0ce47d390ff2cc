/** The Backstage signal channel on which the backend announces new data. @public */
export const FLUX_SIGNAL_CHANNEL = 'flux-orchestrator';

/**
 * What the backend announces on FLUX_SIGNAL_CHANNEL: a sync finished; actions ran on objects; a watch saw
 * objects change (without uids: any object may have changed, after a relist). Watch changes are batched, at
 * most about one signal per second per cluster.
 *
 * Signals go to every signed-in user, whatever the permission policy lets them read, so they name nothing: an
 * object by its Kubernetes uid, which only a reader of the object learns (from the API), and no cluster.
 *
 * @public
 */
export type FluxSignal =
  | { type: 'sync-finished' }
  | { type: 'action'; uids: string[] }
  | { type: 'changed'; uids?: string[] };
