import { expect, Page, test } from '@playwright/test';
import { guestToken } from '../../portal';
import { readOutsideRun, signInAsGuest } from '../outsideEnv';

/*
 * The plugins installed in a fresh create-app app by their READMEs alone, with the README's cluster pointing
 * at a real kube-apiserver of the harness.
 */
const run = readOutsideRun();

async function api<T>(
  path: string,
  method: 'GET' | 'POST' = 'GET',
): Promise<T> {
  const response = await fetch(
    `${run.portalUrl}/api/flux-orchestrator${path}`,
    {
      method,
      headers: { authorization: `Bearer ${await guestToken(run.portalUrl)}` },
    },
  );
  expect(response.status, `${method} ${path}`).toBe(200);
  return (await response.json()) as T;
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await signInAsGuest(page);
}

test('the backend answers /api/flux-orchestrator/clusters with the cluster of the README', async () => {
  const clusters = await api<
    Array<{ name: string; title: string; source: string }>
  >('/clusters');
  expect(clusters.map(c => [c.name, c.title, c.source])).toEqual([
    [run.cluster.name, run.cluster.title, 'config'],
  ]);
});

test('a sync lists every Flux object of the cluster', async () => {
  // POST …/sync answers once the sync has run, with its record.
  const syncRun = await api<{ status: string; listed: number }>(
    `/clusters/${run.cluster.name}/sync`,
    'POST',
  );
  expect(syncRun).toMatchObject({
    status: 'succeeded',
    listed: run.seededObjects,
  });
  const objects = await api<{ total: number }>(
    `/clusters/${run.cluster.name}/resources?limit=1`,
  );
  expect(objects.total).toBe(run.seededObjects);
  const [cluster] = await api<Array<{ health: { status: string } }>>(
    '/clusters',
  );
  expect(cluster.health.status).toBe('healthy');
});

test('the Flux page renders the cluster and its objects', async ({ page }) => {
  await open(page, '/flux/clusters');
  const row = page.getByRole('row').filter({ hasText: run.cluster.title });
  await expect(row).toBeVisible();
  // Cluster, Health, Kubernetes, Flux, Objects: the count of stored objects.
  await expect(row.getByRole('cell').nth(4)).toHaveText(
    String(run.seededObjects),
  );
});

test("the entity's Flux tab lists the objects labelled for it", async ({
  page,
}) => {
  await open(page, `${run.entity.path}/flux`);
  // The README's entity selects some of the seeded objects, or this test would prove nothing.
  expect(run.entity.objects.length).toBeGreaterThan(0);
  const rows = page.getByTestId('resource-row');
  await expect(rows).toHaveCount(run.entity.objects.length);
  for (const { kind, name } of run.entity.objects) {
    await expect(
      rows.filter({ hasText: kind }).filter({ hasText: name }).first(),
    ).toBeVisible();
  }
});
