import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';

jest.setTimeout(180_000);

describe('the demo fleet script', () => {
  it('removes its config, its kubeconfigs and its clusters when stopped by a signal', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'demo-test-'));
    const tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    const config = path.join(dir, 'app-config.demo.yaml');
    try {
      const child = spawn(
        process.execPath,
        [
          '--require',
          require.resolve('@backstage/cli/config/nodeTransform.cjs'),
          path.join(__dirname, 'demo.ts'),
          config,
        ],
        // Its clusters' work directory is made under TMPDIR: here, a directory this test can look into.
        { env: { ...process.env, TMPDIR: tmp }, stdio: 'ignore' },
      );
      const exited = new Promise<number | null>(resolve =>
        child.once('exit', code => resolve(code)),
      );
      const deadline = Date.now() + 150_000;
      while (
        !fs.existsSync(config) &&
        Date.now() < deadline &&
        child.exitCode === null
      ) {
        await new Promise(r => setTimeout(r, 500));
      }
      expect(fs.existsSync(config)).toBe(true);
      const written = fs
        .readdirSync(dir)
        .filter(f => f.endsWith('.kubeconfig'));
      expect(written.sort()).toEqual([
        'dev.kubeconfig',
        'prod.kubeconfig',
        'staging.kubeconfig',
      ]);
      expect(
        fs.readdirSync(tmp).filter(f => f.startsWith('kube-harness-')),
      ).toHaveLength(1);

      child.kill('SIGTERM');
      expect(await exited).toBe(143);
      expect(fs.readdirSync(dir).sort()).toEqual(['tmp']);
      expect(
        fs.readdirSync(tmp).filter(f => f.startsWith('kube-harness-')),
      ).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
