import fs from 'fs';
import path from 'path';
import { ChartRepository, startChartRepository } from './chartRepository';
import { clientNode, kubeConfigFrom } from './clientNode';
import { demoChartFiles, demoFluxObjects, demoRepositoryFiles } from './demoSources';
import { ensureFluxControllers, FLUX_VERSION, RunningFluxControllers, startFluxControllers } from './fluxControllers';
import { GitRepository, GitServer, startGitServer } from './gitServer';

/** The loopback sources the real controllers reconcile: a Git server with the demo repository, and charts. */
export interface DemoSources {
  git: GitServer;
  /** The demo repository: commit to it to roll a change out. */
  fleet: GitRepository;
  charts: ChartRepository;
  close(): Promise<void>;
}

export async function startDemoSources(dir: string): Promise<DemoSources> {
  fs.mkdirSync(dir, { recursive: true });
  const git = await startGitServer(path.join(dir, 'git'));
  const charts = await startChartRepository(dir);
  try {
    const fleet = await git.createRepository('fleet', demoRepositoryFiles());
    await charts.publish(demoChartFiles());
    return {
      git,
      fleet,
      charts,
      close: async () => {
        await Promise.all([git.close(), charts.close()]);
      },
    };
  } catch (error) {
    await Promise.all([git.close(), charts.close()]);
    throw error;
  }
}

/** Creates objects of any kind (server-side apply, so that applying again converges rather than failing). */
export async function applyObjects(adminKubeconfig: string, objects: any[]): Promise<void> {
  const k8s = await clientNode();
  const kc = await kubeConfigFrom(adminKubeconfig);
  const api = k8s.KubernetesObjectApi.makeApiClient(kc);
  for (const object of objects) {
    await api.patch(object, undefined, undefined, 'kube-harness', true, k8s.PatchStrategy.ServerSideApply);
  }
}

/**
 * Runs the real Flux controllers for one cluster and gives them the demo sources to reconcile: their namespace
 * (flux-system unless `namespace` says otherwise), labelled with the Flux version as `flux install` labels it, a
 * GitRepository and a HelmRepository on the loopback servers, and the Kustomizations and HelmReleases of
 * `demoFluxObjects`. With `namespace`, the controllers watch that namespace only, so that Flux objects elsewhere
 * in the cluster (the demo fleet's seeded ones) keep the statuses they were given.
 */
export async function startRealFlux(
  adminKubeconfig: string,
  sources: DemoSources,
  dir: string,
  options: { namespace?: string } = {},
): Promise<RunningFluxControllers> {
  const binaries = await ensureFluxControllers();
  const [namespace, ...objects] = demoFluxObjects(sources.fleet.url, sources.charts.url, options.namespace);
  namespace.metadata.labels = { 'app.kubernetes.io/part-of': 'flux', 'app.kubernetes.io/version': FLUX_VERSION };
  await applyObjects(adminKubeconfig, [namespace]);
  const controllers = await startFluxControllers(binaries, adminKubeconfig, dir, options.namespace);
  try {
    await applyObjects(adminKubeconfig, objects);
  } catch (error) {
    await controllers.stop();
    throw error;
  }
  return controllers;
}
