import { Config } from '@backstage/config';
import { KubeconfigPolicy } from './parseKubeconfig';

/** `fluxOrchestrator.kubeconfig`: what registered kubeconfigs may do. Everything risky is off by default. */
export function readKubeconfigPolicy(config: Config): KubeconfigPolicy {
  const c = config.getOptionalConfig('fluxOrchestrator.kubeconfig');
  return {
    allowExec: c?.getOptionalBoolean('allowExec') ?? false,
    allowAuthProvider: c?.getOptionalBoolean('allowAuthProvider') ?? false,
    allowHttp: c?.getOptionalBoolean('allowHttp') ?? false,
    allowInsecure: c?.getOptionalBoolean('allowInsecure') ?? false,
    allowedServers: c?.getOptionalStringArray('allowedServers') ?? [],
  };
}
