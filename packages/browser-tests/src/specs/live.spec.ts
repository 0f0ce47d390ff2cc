import { clientNode, kubeConfigFrom } from '@internal/kube-harness';
import fs from 'fs';
import { tierEnv } from '../chromium';
import { expect, resourcePath, test } from '../fixtures';

/** A merge patch of a demo object's spec, made on its API server as kubectl would, not through the portal. */
async function patchBehindThePortal(
  cluster: string,
  name: string,
  spec: Record<string, unknown>,
) {
  const k8s = await clientNode();
  const kubeconfig = await kubeConfigFrom(
    fs.readFileSync(tierEnv.demoKubeconfigs()[cluster], 'utf8'),
  );
  await kubeconfig
    .makeApiClient(k8s.CustomObjectsApi)
    .patchNamespacedCustomObject(
      {
        group: 'helm.toolkit.fluxcd.io',
        version: 'v2',
        plural: 'helmreleases',
        namespace: 'apps',
        name,
        body: { spec },
      },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
}

test.describe('live data', () => {
  test('every demo cluster is watched: its card says live', async ({
    page,
    visit,
  }) => {
    await visit('/flux');
    for (const name of ['dev', 'staging', 'prod']) {
      const card = page.getByTestId(`cluster-card-${name}`);
      await expect(card.getByTestId('data-age')).toHaveText(
        'live: changes arrive as they happen',
      );
    }
  });

  test('a change made with kubectl shows on the open page, without a reload', async ({
    page,
    visit,
  }) => {
    await visit(resourcePath('dev:HelmRelease:apps:podinfo'));
    const chip = page.getByTestId('status-chip').first();
    await expect(chip).toHaveText(/ready/i);
    try {
      await patchBehindThePortal('dev', 'podinfo', { suspend: true });
      await expect(chip).toHaveText(/suspended/i, { timeout: 10_000 });
    } finally {
      await patchBehindThePortal('dev', 'podinfo', { suspend: false });
    }
    // Resumed: no longer suspended, and progressing until a controller observes the new generation.
    await expect(chip).not.toHaveText(/suspended/i, { timeout: 10_000 });
  });
});
