/*
 * The demo fleet of `scripts/dev.sh start` and of the browser tests: three local clusters and an app-config
 * file that registers them. dev and staging, on Flux 2.9's APIs, run the real source-, kustomize- and
 * helm-controller reconciling a demo Git repository and chart repository; their notification and image objects,
 * whose controllers cannot be built here, are seeded and answered by a stand-in. prod, on a Flux 2.4-era set of
 * APIs the real controllers no longer serve, is seeded and answered by the stand-in throughout. Run as a script,
 * it keeps running until it is stopped; the clusters go with it.
 *
 * usage: node --require @backstage/cli/config/nodeTransform.cjs src/demo.ts CONFIG_OUT
 */
import fs from 'fs';
import path from 'path';
import { stringify } from 'yaml';
import {
  FakeFluxController,
  startFakeFluxController,
} from './fakeFluxController';
import { startFleet } from './fleet';
import { RunningFluxControllers } from './fluxControllers';
import { GitRepository } from './gitServer';
import { onExit } from './processes';
import {
  DemoSources,
  startDemoSources,
  startRealFlux,
  startStandInBesideRealFlux,
} from './realFlux';
import { fluxFleetObjects, seedFluxObjects } from './seed';

const TITLES: Record<string, string> = {
  dev: 'Development',
  staging: 'Staging',
  prod: 'Production (Flux 2.4 APIs)',
};

/**
 * The stand-in answers a reconcile request after a pause longer than the backend's default wait for that answer
 * (fluxOrchestrator.actions.handledWait, 3 s), so that the portal shows a request as pending before it shows it
 * handled, as it does when a busy controller takes its time.
 */
const CONTROLLER_DELAY_MS = 4000;

export interface DemoFleet {
  /** The clusters' names, in the order of the config file. */
  clusters: string[];
  /** Where the app-config that registers the clusters was written. */
  configPath: string;
  /** Per cluster, a kubeconfig of its administrator beside the config file, for kubectl and for tests. */
  adminKubeconfigs: Record<string, string>;
  /** The demo Git repository that the real Flux controllers of dev and staging reconcile. */
  fleetRepository: GitRepository;
  /** Stops the controllers and the clusters and removes the config file. */
  stop(): Promise<void>;
}

/** Starts the demo clusters, seeds them, starts their controllers and writes the config that registers them. */
export async function startDemoFleet(
  configPath: string,
  options: { log?: (line: string) => void } = {},
): Promise<DemoFleet> {
  const log = options.log ?? (() => {});
  fs.rmSync(configPath, { force: true });
  const fleet = await startFleet({
    log,
    clusters: [
      { name: 'dev', generation: 'current' },
      { name: 'staging', generation: 'current' },
      { name: 'prod', generation: 'legacy' },
    ],
  });
  const controllers: FakeFluxController[] = [];
  const realFlux: RunningFluxControllers[] = [];
  const sourcesDir = path.join(path.dirname(configPath), 'sources');
  fs.rmSync(sourcesDir, { recursive: true, force: true });
  let sources: DemoSources | undefined;
  const stopFlux = async () => {
    for (const controller of controllers) controller.stop();
    await Promise.all(realFlux.map(f => f.stop()));
    await sources?.close();
  };
  try {
    sources = await startDemoSources(sourcesDir);
    const fleetUrl = sources.fleet.url;
    for (const cluster of fleet.clusters) {
      if (cluster.generation === 'current') {
        realFlux.push(
          await startRealFlux(
            cluster.adminKubeconfig,
            sources,
            path.join(fleet.workDir, cluster.name, 'flux'),
          ),
        );
        controllers.push(
          await startStandInBesideRealFlux(cluster.adminKubeconfig, {
            delayMs: CONTROLLER_DELAY_MS,
          }),
        );
      } else {
        // prod deploys the same Git repository as dev and staging, at the older commit its seed says it applied:
        // the rollout tracker shows production behind them, as a fleet that promotes to production last is.
        const objects = fluxFleetObjects(cluster.generation).map(object =>
          object.kind === 'GitRepository' && object.name === 'fleet'
            ? { ...object, spec: { ...object.spec, url: fleetUrl } }
            : object,
        );
        await seedFluxObjects(
          cluster.adminKubeconfig,
          cluster.generation,
          objects,
        );
        controllers.push(
          await startFakeFluxController(
            cluster.adminKubeconfig,
            cluster.generation,
            { delayMs: CONTROLLER_DELAY_MS },
          ),
        );
      }
    }
  } catch (error) {
    await stopFlux();
    await fleet.stop();
    throw error;
  }
  const config = {
    fluxOrchestrator: {
      // The demo clusters listen on loopback, which the portal refuses unless allowed.
      kubeconfig: { allowPrivateNetworks: ['127.0.0.0/8'] },
      clusters: fleet.clusters.map(c => ({
        name: c.name,
        title: TITLES[c.name],
        description: `Local demo cluster: kube-apiserver ${c.server}, seeded by packages/kube-harness`,
        url: c.server,
        caData: c.caPem,
        // The operator ServiceAccount may list and patch Flux objects, nothing else.
        serviceAccountToken: c.tokens.operator,
      })),
    },
  };
  // Written under another name and renamed, so that whoever waits for the file never reads half of it.
  const adminKubeconfigs: Record<string, string> = {};
  for (const cluster of fleet.clusters) {
    adminKubeconfigs[cluster.name] = path.join(
      path.dirname(configPath),
      `${cluster.name}.kubeconfig`,
    );
    fs.writeFileSync(adminKubeconfigs[cluster.name], cluster.adminKubeconfig, {
      mode: 0o600,
    });
  }
  const removeFiles = () => {
    for (const file of [
      configPath,
      ...Object.values(adminKubeconfigs),
      sourcesDir,
    ])
      fs.rmSync(file, { recursive: true, force: true });
  };
  // Stopped by a signal, the process exits from the harness's handler (src/processes.ts), which kills the
  // servers and runs this: no config naming dead clusters is left behind.
  const forgetExit = onExit(removeFiles);
  fs.writeFileSync(`${configPath}.tmp`, stringify(config), { mode: 0o600 });
  fs.renameSync(`${configPath}.tmp`, configPath);
  log(
    `kube-harness: demo fleet ready (${fleet.clusters
      .map(c => c.name)
      .join(', ')}); config in ${configPath}`,
  );
  log(
    `kube-harness: real Flux on ${realFlux.length} clusters reconciles ${sources.fleet.url}; ` +
      `commit in ${sources.fleet.workTree} and push to roll a change out`,
  );
  return {
    clusters: fleet.clusters.map(c => c.name),
    configPath,
    adminKubeconfigs,
    fleetRepository: sources.fleet,
    async stop() {
      forgetExit();
      await stopFlux();
      await fleet.stop();
      removeFiles();
    },
  };
}

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error('usage: demo.ts CONFIG_OUT');
  await startDemoFleet(out, { log: line => console.log(line) });
  // Stay up until stopped: a signal kills the servers and removes the files (src/processes.ts).
  setInterval(() => {}, 1 << 30);
}

if (require.main === module) {
  main().catch(error => {
    console.error(`kube-harness: demo fleet failed: ${error.message}`);
    process.exit(1);
  });
}
