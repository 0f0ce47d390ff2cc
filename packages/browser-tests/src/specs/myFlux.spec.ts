import { objectStatus } from '../demoObjects';
import { expect, test } from '../fixtures';

interface Owned {
  owners: string[];
  entities: Array<{ entityRef: string; counts: { total: number } }>;
  counts: { failing: number; stalled: number };
}

interface Inbox {
  notifications: Array<{ payload: { title: string; link?: string } }>;
}

test.describe('my Flux', () => {
  test('shows the guest the objects of the entities they and their groups own', async ({
    page,
    visit,
    capture,
    fluxApi,
  }) => {
    // The guest is a member of guests (examples/org.yaml), which owns podinfo and redis.
    const owned = await fluxApi.get<Owned>('/owned-resources');
    expect(owned.owners).toContain('group:default/guests');
    expect(owned.entities.map(e => e.entityRef)).toEqual(
      expect.arrayContaining([
        'component:default/podinfo',
        'component:default/redis',
      ]),
    );
    await visit('/flux/mine');
    await expect(page.getByTestId('owned-entity-row')).toHaveCount(
      owned.entities.length,
    );
    await expect(
      page.getByTestId('owned-entity-row').filter({ hasText: 'redis' }),
    ).toContainText('failing');
    await expect(
      page.getByRole('list', { name: 'Needs attention' }),
    ).toContainText('HelmRelease apps/redis');
    await capture('my-flux');

    // The guests group's page has the card of its entities' objects.
    await visit('/catalog/default/group/guests');
    const card = page.getByTestId('owned-flux-card');
    await expect(card).toContainText(
      `${owned.entities.length} owned entities select`,
    );
    await capture('group-flux-card', card);
  });

  test('tells the owners when an object of their entity fails and when it recovers', async ({
    page,
    visit,
    fluxApi,
  }) => {
    // prod's podinfo HelmRelease, selected by the podinfo component: its stand-in controller leaves a status
    // written here alone.
    const id = 'prod:HelmRelease:apps:podinfo';
    const { apiVersion } = await fluxApi.get<{ apiVersion: string }>(
      `/resources/${encodeURIComponent(id)}`,
    );
    const podinfo = (await objectStatus('prod', apiVersion, 'helmreleases'))(
      'apps',
      'podinfo',
    );
    const before = await podinfo.read();
    const ready = before.conditions.find(
      (c: { type: string }) => c.type === 'Ready',
    );
    expect(ready.status).toBe('True');
    const inbox = async () => {
      const token = (
        await (
          await page.request.get('/api/auth/guest/refresh?env=development', {
            headers: { 'x-requested-with': 'XMLHttpRequest' },
          })
        ).json()
      ).backstageIdentity.token;
      const response = await page.request.get(
        '/api/notifications/notifications?limit=50',
        { headers: { authorization: `Bearer ${token}` } },
      );
      expect(response.status()).toBe(200);
      return ((await response.json()) as Inbox).notifications.filter(n =>
        n.payload.title.startsWith('HelmRelease apps/podinfo on prod'),
      );
    };
    await visit('/flux');
    try {
      await podinfo.write({
        conditions: [
          {
            ...ready,
            status: 'False',
            reason: 'UpgradeFailed',
            message: 'Helm upgrade failed: timed out waiting for the condition',
            lastTransitionTime: new Date().toISOString(),
          },
        ],
      });
      await expect
        .poll(async () => (await inbox())[0]?.payload.title, {
          timeout: 30_000,
        })
        .toBe('HelmRelease apps/podinfo on prod is failing');
      const [told] = await inbox();
      expect(told.payload.link).toBe(
        `/flux/resources/${encodeURIComponent(id)}`,
      );
    } finally {
      await podinfo.write({
        conditions: [
          { ...ready, lastTransitionTime: new Date().toISOString() },
        ],
      });
    }
    // The recovery updates the same notification rather than adding one.
    await expect
      .poll(async () => (await inbox()).map(n => n.payload.title), {
        timeout: 30_000,
      })
      .toEqual(['HelmRelease apps/podinfo on prod recovered']);
  });
});
