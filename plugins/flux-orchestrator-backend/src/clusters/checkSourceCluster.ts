import { FluxSourceCluster } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import { ClusterRecord } from '../database/FluxStore';
import {
  ClusterConnection,
  suppliedConnectionSchema,
} from '../kubernetes/ClusterConnection';
import { checkServer, ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { CLUSTER_NAME_PATTERN } from './readConfigClusters';

/** Sources whose clusters come from app-config entries, each of which may opt in to skip TLS verification. */
const CONFIG_SOURCES = new Set(['config', 'kubernetes']);

export interface CheckedSourceCluster {
  record: ClusterRecord;
  /** How to reach it, or why it cannot be reached. */
  connection: ClusterConnection | string;
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim()
    ? value.trim().slice(0, max)
    : undefined;
}

/**
 * A cluster as a source gave it, checked as a kubeconfig sent to the API is: a valid name (or undefined, and
 * the caller says why), only the fields of a connection, a server the policy allows, and skipped TLS
 * verification only where app-config asked for it or the policy allows it. A source is backend code, but its
 * data may come from anywhere (a cloud inventory, the catalog), so the values are checked at run time.
 */
export function checkSourceCluster(
  source: string,
  cluster: FluxSourceCluster,
  policy: ClusterPolicy,
  network: NetworkPolicy,
): CheckedSourceCluster | { refused: string } {
  const name = typeof cluster?.name === 'string' ? cluster.name : '';
  if (!CLUSTER_NAME_PATTERN.test(name)) {
    return {
      refused: `the name ${JSON.stringify(
        name.slice(0, 80),
      )} is not lowercase letters, digits and dashes (at most 63, starting and ending with a letter or digit)`,
    };
  }
  const record: ClusterRecord = {
    name,
    title: text(cluster.title, 253) ?? name,
    description: text(cluster.description, 1000),
    source,
    entityRef: text(cluster.entityRef, 1000),
  };
  const given = cluster.connection as Record<string, unknown> | undefined;
  if (given && typeof given.unavailable === 'string') {
    record.server = text(given.server, 2048);
    return { record, connection: given.unavailable };
  }
  const parsed = suppliedConnectionSchema.safeParse(given);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      record,
      connection: `Cluster "${name}" of source "${source}": its connection is refused (${
        issue.path.join('.') || 'connection'
      }: ${issue.message})`,
    };
  }
  const connection = parsed.data;
  try {
    connection.server = checkServer(
      connection.server,
      `cluster "${name}" of source "${source}": server`,
      policy,
      network,
    );
  } catch (error) {
    return { record, connection: (error as Error).message };
  }
  record.server = connection.server;
  if (
    connection.skipTLSVerify &&
    !CONFIG_SOURCES.has(source) &&
    !policy.allowInsecure
  ) {
    return {
      record,
      connection: `Cluster "${name}" of source "${source}" asks to skip TLS verification, which fluxOrchestrator.kubeconfig.allowInsecure does not allow; give its CA (caData) instead`,
    };
  }
  return { record, connection };
}
