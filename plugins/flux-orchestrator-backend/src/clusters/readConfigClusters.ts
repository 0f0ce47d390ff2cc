import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import fs from 'fs';
import { ClusterRecord } from '../database/FluxStore';
import { ClusterConnection } from '../kubernetes/ClusterConnection';

export interface ConfiguredCluster {
  record: ClusterRecord;
  connection: ClusterConnection;
}

/** DNS-1123 label: cluster names appear in URLs and in resource ids (`cluster:Kind:namespace:name`). */
export const CLUSTER_NAME_PATTERN = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

function readConnection(
  c: Config,
  where: string,
): { connection: ClusterConnection; server?: string } {
  const kubeconfig = c.getOptionalConfig('kubeconfig');
  if (kubeconfig) {
    const path = kubeconfig.getString('path');
    let text: string;
    try {
      text = fs.readFileSync(path, 'utf8');
    } catch (e) {
      throw new InputError(`${where}.kubeconfig.path: cannot read ${path} (${(e as Error).message})`);
    }
    return {
      connection: { type: 'kubeconfig', kubeconfig: text, context: kubeconfig.getOptionalString('context') },
    };
  }
  const url = c.getOptionalString('url');
  const token = c.getOptionalString('serviceAccountToken');
  if (!url || !token) {
    throw new InputError(
      `${where}: give either url and serviceAccountToken, or kubeconfig.path (and optionally kubeconfig.context)`,
    );
  }
  const caFile = c.getOptionalString('caFile');
  let caData = c.getOptionalString('caData');
  if (!caData && caFile) {
    try {
      caData = fs.readFileSync(caFile, 'utf8');
    } catch (e) {
      throw new InputError(`${where}.caFile: cannot read ${caFile} (${(e as Error).message})`);
    }
  }
  return {
    server: url,
    connection: {
      type: 'token',
      server: url,
      token,
      caData,
      skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
    },
  };
}

/** The clusters of `fluxOrchestrator.clusters`, validated; a mistake names the entry and the field. */
export function readConfigClusters(config: Config): ConfiguredCluster[] {
  const entries = config.getOptionalConfigArray('fluxOrchestrator.clusters') ?? [];
  const seen = new Set<string>();
  return entries.map((c, index) => {
    const name = c.getString('name');
    const where = `fluxOrchestrator.clusters[${index}]`;
    if (!CLUSTER_NAME_PATTERN.test(name)) {
      throw new InputError(
        `${where}.name: "${name}" must be lowercase letters, digits and dashes (at most 63), starting and ending with a letter or digit`,
      );
    }
    if (seen.has(name)) throw new InputError(`${where}.name: "${name}" is defined twice`);
    seen.add(name);
    const { connection, server } = readConnection(c, where);
    return {
      record: {
        name,
        title: c.getOptionalString('title') ?? name,
        description: c.getOptionalString('description'),
        source: 'config',
        server,
      },
      connection,
    };
  });
}
