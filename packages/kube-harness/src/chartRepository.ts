import { execFile } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import http from 'http';
import { AddressInfo } from 'net';
import path from 'path';
import { promisify } from 'util';
import YAML from 'yaml';

const run = promisify(execFile);

/** A chart as files relative to its directory: `Chart.yaml`, `values.yaml`, `templates/…`. */
export type ChartFiles = Record<string, string>;

/** A Helm chart repository (HTTP, `index.yaml` and packaged charts), as a HelmRepository's `spec.url` takes it. */
export interface ChartRepository {
  url: string;
  /** Packages a chart (name and version from its Chart.yaml) and lists it in the index. */
  publish(
    files: ChartFiles,
  ): Promise<{ name: string; version: string; digest: string }>;
  close(): Promise<void>;
}

interface IndexEntry {
  apiVersion: string;
  name: string;
  version: string;
  description?: string;
  urls: string[];
  digest: string;
  created: string;
}

/** A chart repository on a loopback port, its index and packages kept in `dir`. */
export async function startChartRepository(
  dir: string,
): Promise<ChartRepository> {
  const served = path.join(dir, 'charts');
  fs.mkdirSync(served, { recursive: true });
  const entries: Record<string, IndexEntry[]> = {};
  const writeIndex = () =>
    fs.writeFileSync(
      path.join(served, 'index.yaml'),
      YAML.stringify({
        apiVersion: 'v1',
        entries,
        generated: new Date().toISOString(),
      }),
    );
  writeIndex();

  const server = http.createServer((req, res) => {
    // Only the files this module wrote: the index or a package, by a plain name (no path, no dot first).
    const name = new URL(req.url ?? '/', 'http://localhost').pathname.slice(1);
    const file = path.join(served, name);
    if (
      req.method !== 'GET' ||
      !/^\w[\w.-]*\.(tgz|yaml)$/.test(name) ||
      !fs.statSync(file, { throwIfNoEntry: false })?.isFile()
    ) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': name.endsWith('.yaml')
        ? 'application/yaml'
        : 'application/gzip',
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    async publish(files) {
      const chart = YAML.parse(files['Chart.yaml']) as {
        apiVersion: string;
        name: string;
        version: string;
        description?: string;
      };
      // `helm package` writes a gzipped tar of the chart under a directory of its name.
      const staging = fs.mkdtempSync(path.join(dir, 'package-'));
      for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(staging, chart.name, file)), {
          recursive: true,
        });
        fs.writeFileSync(path.join(staging, chart.name, file), content);
      }
      const archive = `${chart.name}-${chart.version}.tgz`;
      await run('tar', [
        '-czf',
        path.join(served, archive),
        '-C',
        staging,
        chart.name,
      ]);
      fs.rmSync(staging, { recursive: true, force: true });
      const digest = crypto
        .createHash('sha256')
        .update(fs.readFileSync(path.join(served, archive)))
        .digest('hex');
      entries[chart.name] = [
        {
          apiVersion: chart.apiVersion,
          name: chart.name,
          version: chart.version,
          description: chart.description,
          urls: [`${url}/${archive}`],
          digest,
          created: new Date().toISOString(),
        },
        ...(entries[chart.name] ?? []).filter(e => e.version !== chart.version),
      ];
      writeIndex();
      return { name: chart.name, version: chart.version, digest };
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
