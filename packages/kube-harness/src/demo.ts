/*
 * The demo fleet of `scripts/dev.sh start`: three local clusters (dev and staging on Flux 2.9's APIs, prod on
 * a Flux 2.4-era set) with seeded Flux objects, and an app-config file that registers them. It keeps running
 * until it is stopped; the clusters go with it.
 *
 * usage: node --require @backstage/cli/config/nodeTransform.cjs src/demo.ts CONFIG_OUT
 */
import fs from 'fs';
import { stringify } from 'yaml';
import { startFleet } from './fleet';
import { seedFluxObjects } from './seed';

async function main() {
  const out = process.argv[2];
  if (!out) throw new Error('usage: demo.ts CONFIG_OUT');
  fs.rmSync(out, { force: true });
  const log = (line: string) => console.log(line);
  const fleet = await startFleet({
    log,
    clusters: [
      { name: 'dev', generation: 'current' },
      { name: 'staging', generation: 'current' },
      { name: 'prod', generation: 'legacy' },
    ],
  });
  for (const cluster of fleet.clusters) {
    await seedFluxObjects(cluster.adminKubeconfig, cluster.generation);
  }
  const titles: Record<string, string> = { dev: 'Development', staging: 'Staging', prod: 'Production (Flux 2.4 APIs)' };
  const config = {
    fluxOrchestrator: {
      clusters: fleet.clusters.map(c => ({
        name: c.name,
        title: titles[c.name],
        description: `Local demo cluster: kube-apiserver ${c.server}, seeded by packages/kube-harness`,
        url: c.server,
        caData: c.caPem,
        // The operator ServiceAccount may list and patch Flux objects, nothing else.
        serviceAccountToken: c.tokens.operator,
      })),
    },
  };
  fs.writeFileSync(`${out}.tmp`, stringify(config), { mode: 0o600 });
  fs.renameSync(`${out}.tmp`, out);
  log(`kube-harness: demo fleet ready (${fleet.clusters.map(c => c.name).join(', ')}); config in ${out}`);
  const stop = async () => {
    await fleet.stop();
    fs.rmSync(out, { force: true });
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // Stay up until stopped.
  setInterval(() => {}, 1 << 30);
}

main().catch(error => {
  console.error(`kube-harness: demo fleet failed: ${error.message}`);
  process.exit(1);
});
