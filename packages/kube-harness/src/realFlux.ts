import fs from 'fs';
import os from 'os';
import path from 'path';
import { ChartRepository, startChartRepository } from './chartRepository';
import { applyObjects } from './clientNode';
import {
  demoApplicationCharts,
  demoArtifactFiles,
  demoChartFiles,
  demoFluxObjects,
  demoRepositoryFiles,
} from './demoSources';
import { Fleet, HarnessCluster, startFleet } from './fleet';
import {
  FakeFluxController,
  startFakeFluxController,
} from './fakeFluxController';
import {
  ensureFluxControllers,
  FLUX_VERSION,
  RunningFluxControllers,
  STAND_IN_KINDS,
  startFluxControllers,
} from './fluxControllers';
import { GitRepository, GitServer, startGitServer } from './gitServer';
import { OciRegistry, startOciRegistry } from './ociRegistry';
import { fluxFleetObjects, seedFluxObjects } from './seed';

/**
 * The loopback sources the real controllers reconcile: a Git server with the demo repository, a chart
 * repository, and an OCI registry with one artifact.
 */
export interface DemoSources {
  git: GitServer;
  /** The demo repository: commit to it to roll a change out. */
  fleet: GitRepository;
  charts: ChartRepository;
  oci: OciRegistry;
  close(): Promise<void>;
}

export async function startDemoSources(dir: string): Promise<DemoSources> {
  fs.mkdirSync(dir, { recursive: true });
  const git = await startGitServer(path.join(dir, 'git'));
  const charts = await startChartRepository(dir);
  const oci = await startOciRegistry(dir);
  const close = async () => {
    await Promise.all([git.close(), charts.close(), oci.close()]);
  };
  try {
    const fleet = await git.createRepository('fleet', demoRepositoryFiles());
    for (const chart of [demoChartFiles(), ...demoApplicationCharts()])
      await charts.publish(chart);
    await oci.push(
      'platform/manifests',
      'latest',
      demoArtifactFiles(),
      `main@sha1:${await fleet.head()}`,
    );
    return { git, fleet, charts, oci, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Runs the real Flux controllers for one cluster and gives them the demo sources to reconcile
 * (`demoFluxObjects`): the namespaces first, flux-system labelled with the Flux version as `flux install` labels
 * it, then the sources on the loopback servers and the Kustomizations and HelmReleases that apply them.
 */
export async function startRealFlux(
  adminKubeconfig: string,
  sources: DemoSources,
  dir: string,
): Promise<RunningFluxControllers> {
  const binaries = await ensureFluxControllers();
  const objects = demoFluxObjects({
    git: sources.fleet.url,
    charts: sources.charts.url,
    oci: sources.oci.url,
  });
  const namespaces = objects.filter(o => o.kind === 'Namespace');
  namespaces.find(n => n.metadata.name === 'flux-system').metadata.labels = {
    'app.kubernetes.io/part-of': 'flux',
    'app.kubernetes.io/version': FLUX_VERSION,
  };
  await applyObjects(adminKubeconfig, namespaces);
  const controllers = await startFluxControllers(
    binaries,
    adminKubeconfig,
    dir,
  );
  try {
    await applyObjects(
      adminKubeconfig,
      objects.filter(o => o.kind !== 'Namespace'),
    );
  } catch (error) {
    await controllers.stop();
    throw error;
  }
  return controllers;
}

/**
 * Beside the real controllers, the kinds they do not reconcile: seeds the notification and image objects of
 * `fluxFleetObjects` and starts the stand-in for those kinds only.
 */
export async function startStandInBesideRealFlux(
  adminKubeconfig: string,
  options: { delayMs?: number } = {},
): Promise<FakeFluxController> {
  const objects = fluxFleetObjects('current').filter(o =>
    STAND_IN_KINDS.includes(o.kind),
  );
  await seedFluxObjects(adminKubeconfig, 'current', objects);
  return startFakeFluxController(adminKubeconfig, 'current', {
    ...options,
    kinds: STAND_IN_KINDS,
  });
}

/** One harness cluster of the current generation with the real Flux controllers reconciling the demo sources. */
export interface RealFluxCluster {
  fleet: Fleet;
  cluster: HarnessCluster;
  sources: DemoSources;
  controllers: RunningFluxControllers;
  stop(): Promise<void>;
}

/** Starts a cluster named `name`, the demo sources and the real controllers, each in a temporary folder. */
export async function startRealFluxCluster(
  name: string,
): Promise<RealFluxCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'real-flux-'));
  let fleet: Fleet | undefined;
  let sources: DemoSources | undefined;
  const stop = async (controllers?: RunningFluxControllers) => {
    await controllers?.stop();
    await sources?.close();
    await fleet?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    fleet = await startFleet({ clusters: [{ name, generation: 'current' }] });
    sources = await startDemoSources(path.join(dir, 'sources'));
    const [cluster] = fleet.clusters;
    const controllers = await startRealFlux(
      cluster.adminKubeconfig,
      sources,
      path.join(dir, 'flux'),
    );
    return {
      fleet,
      cluster,
      sources,
      controllers,
      stop: () => stop(controllers),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
