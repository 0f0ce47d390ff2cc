import { Config } from '@backstage/config';
import { FluxClusterSource } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-node';
import fs from 'fs';
import { ClusterRecord } from '../database/FluxStore';
import { ClusterConnection } from '../kubernetes/ClusterConnection';
import { checkServer, ClusterPolicy, NetworkPolicy } from './clusterPolicy';
import { checkToken, parseKubeconfig, toPemBase64 } from './parseKubeconfig';

export interface ConfiguredCluster {
  record: ClusterRecord;
  connection: ClusterConnection;
}

/** DNS-1123 label: cluster names appear in URLs and in resource ids (`cluster:Kind:namespace:name`). */
export const CLUSTER_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** A bad app-config stops the backend with the key named: a plain Error, as Backstage plugins do. */
function configError(where: string, message: string): Error {
  return new Error(`${where}: ${message}`);
}

function readFile(path: string, where: string): string {
  try {
    return fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw configError(
      where,
      `cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/**
 * An entry's connection, through the same validation as a kubeconfig posted to the API. Only here may an
 * entry opt in, for itself, to what its operators need: `skipTLSVerify`, and an exec plugin in its
 * kubeconfig file (`kubeconfig.allowExec`).
 */
function readConnection(
  c: Config,
  where: string,
  policy: ClusterPolicy,
  network: NetworkPolicy,
): ClusterConnection {
  const skipTLSVerify = c.getOptionalBoolean('skipTLSVerify') ?? false;
  const kubeconfig = c.getOptionalConfig('kubeconfig');
  if (kubeconfig) {
    const path = kubeconfig.getString('path');
    const text = readFile(path, `${where}.kubeconfig.path`);
    try {
      return parseKubeconfig(
        text,
        kubeconfig.getOptionalString('context'),
        policy,
        network,
        {
          allowExec: kubeconfig.getOptionalBoolean('allowExec') ?? false,
          allowInsecure: skipTLSVerify,
        },
      ).connection;
    } catch (error) {
      throw configError(
        `${where}.kubeconfig`,
        `${path}: ${(error as Error).message}`,
      );
    }
  }
  return readServiceAccountConnection(c, where, policy, network);
}

/**
 * `url`, `serviceAccountToken`, `caData` or `caFile`, and `skipTLSVerify` of an app-config entry: the fields
 * of our own cluster entries and of the Kubernetes plugin's (`kubernetes.clusterLocatorMethods`) alike.
 */
export function readServiceAccountConnection(
  c: Config,
  where: string,
  policy: ClusterPolicy,
  network: NetworkPolicy,
  token = c.getOptionalString('serviceAccountToken'),
): ClusterConnection {
  const url = c.getOptionalString('url');
  if (!url || !token) {
    throw configError(
      where,
      'give either url and serviceAccountToken, or kubeconfig.path (and optionally kubeconfig.context)',
    );
  }
  const caFile = c.getOptionalString('caFile');
  const ca =
    c.getOptionalString('caData') ??
    (caFile ? readFile(caFile, `${where}.caFile`) : undefined);
  const caData =
    ca === undefined ? undefined : toPemBase64(ca.trim(), 'CERTIFICATE');
  if (ca !== undefined && !caData) {
    throw configError(
      `${where}.${caFile ? 'caFile' : 'caData'}`,
      'must be a PEM CA certificate (plain or base64)',
    );
  }
  try {
    return {
      server: checkServer(url, `${where}.url`, policy, network),
      caData,
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') || undefined,
      credentials: {
        type: 'token',
        token: checkToken(token, `${where}.serviceAccountToken`),
      },
    };
  } catch (error) {
    throw new Error((error as Error).message);
  }
}

/** The clusters of `fluxOrchestrator.clusters`, validated; a mistake names the entry and the field. */
export function readConfigClusters(
  config: Config,
  policy: ClusterPolicy,
  network: NetworkPolicy,
): ConfiguredCluster[] {
  const entries =
    config.getOptionalConfigArray('fluxOrchestrator.clusters') ?? [];
  const seen = new Set<string>();
  return entries.map((c, index) => {
    const name = c.getString('name');
    const where = `fluxOrchestrator.clusters[${index}]`;
    if (!CLUSTER_NAME_PATTERN.test(name)) {
      throw configError(
        `${where}.name`,
        `"${name}" must be lowercase letters, digits and dashes (at most 63), starting and ending with a letter or digit`,
      );
    }
    if (seen.has(name))
      throw configError(`${where}.name`, `"${name}" is defined twice`);
    seen.add(name);
    const connection = readConnection(c, where, policy, network);
    return {
      record: {
        name,
        title: c.getOptionalString('title') ?? name,
        description: c.getOptionalString('description'),
        source: 'config',
        server: connection.server,
      },
      connection,
    };
  });
}

/** The clusters of app-config as a source: read and checked once, at start-up. */
export function configClusterSource(
  clusters: ConfiguredCluster[],
): FluxClusterSource {
  const given = clusters.map(({ record, connection }) => ({
    name: record.name,
    title: record.title,
    description: record.description,
    connection,
  }));
  return { id: 'config', readClusters: async () => given };
}
