import {
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { describeClusterError } from './describeClusterError';

/**
 * The error a route answers when a live call to a cluster fails: the cluster's own 403 stays a 403 (its RBAC
 * said no, which the user must see as such), a vanished object is a 404, anything else means the cluster
 * could not serve the request (503). The message names the cluster and keeps the cause.
 */
export function toClusterCallError(cluster: string, error: unknown): Error {
  const code = (error as { code?: unknown })?.code;
  const message = `Cluster "${cluster}" answered: ${describeClusterError(
    error,
  )}`;
  if (code === 403) return new NotAllowedError(message);
  if (code === 404) return new NotFoundError(message);
  return new ServiceUnavailableError(message);
}
