import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import { Cluster } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** A cluster's health in one line: healthy, the reason it is not, or that it was never reached. */
export function ClusterHealthStatus({ cluster }: { cluster: Cluster }) {
  const { status, error, fluxInstalled, kindErrors } = cluster.health;
  if (status === 'unhealthy')
    return <StatusError>{error ?? 'unhealthy'}</StatusError>;
  if (status === 'unknown')
    return <StatusPending>not synced yet</StatusPending>;
  if (!fluxInstalled)
    return <StatusWarning>reachable, but Flux is not installed</StatusWarning>;
  const failedKinds = Object.keys(kindErrors ?? {});
  if (failedKinds.length) {
    return (
      <StatusWarning>
        healthy, but could not list {failedKinds.join(', ')}
      </StatusWarning>
    );
  }
  return <StatusOK>healthy</StatusOK>;
}
