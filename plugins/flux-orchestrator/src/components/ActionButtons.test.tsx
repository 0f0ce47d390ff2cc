import {
  AuthorizeResult,
  EvaluatePermissionRequest,
} from '@backstage/plugin-permission-common';
import { renderInTestApp } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { failingRedis, podinfo } from '../__testUtils__/fluxFixtures';
import {
  API,
  FluxTestApis,
  setupFluxServer,
} from '../__testUtils__/renderFlux';
import { ActionButtons } from './ActionButtons';
import { ActionReports } from './ActionReports';
import { describeResource } from './resourceText';

describe('ActionButtons without permission', () => {
  it('disables every action and names the missing permission on hover', async () => {
    await renderInTestApp(
      <FluxTestApis permission={AuthorizeResult.DENY}>
        <ActionReports>
          <ActionButtons mode="detail" resources={[failingRedis('dev')]} />
        </ActionReports>
      </FluxTestApis>,
    );
    const reconcile = await screen.findByRole('button', { name: 'Reconcile' });
    await screen.findByRole('button', { name: 'Suspend' });
    expect(reconcile).toBeDisabled();
    expect(
      screen.getByRole('button', { name: 'Reconcile with source' }),
    ).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Suspend' })).toBeDisabled();

    await userEvent.hover(reconcile.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You do not have the permission flux-orchestrator.resource.reconcile',
    );
    await userEvent.unhover(reconcile.parentElement!);
    await userEvent.hover(
      screen.getByRole('button', { name: 'Suspend' }).parentElement!,
    );
    expect(
      await screen.findByText(
        'You do not have the permission flux-orchestrator.resource.suspend',
      ),
    ).toBeInTheDocument();
  });
});

describe('ActionButtons under a policy with conditions', () => {
  // As a policy that lets a team act on the objects of cluster dev only: the answer depends on the object.
  const devOnly = (request: EvaluatePermissionRequest) =>
    'resourceRef' in request && request.resourceRef?.startsWith('dev:')
      ? AuthorizeResult.ALLOW
      : AuthorizeResult.DENY;

  it('asks about each object, and names how many of a selection the permission does not cover', async () => {
    await renderInTestApp(
      <FluxTestApis permission={devOnly}>
        <ActionReports>
          <ActionButtons mode="detail" resources={[failingRedis('dev')]} />
          <ActionButtons
            mode="bulk"
            resources={[failingRedis('dev'), failingRedis('prod')]}
          />
        </ActionReports>
      </FluxTestApis>,
    );
    await waitFor(() =>
      expect(
        screen.getAllByRole('button', { name: 'Reconcile' })[0],
      ).toBeEnabled(),
    );
    const [single, bulk] = screen.getAllByRole('button', { name: 'Reconcile' });
    expect(single).toBeEnabled();
    expect(bulk).toBeDisabled();
    await userEvent.hover(bulk.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'You do not have the permission flux-orchestrator.resource.reconcile on 1 of the 2 selected',
    );
  });
});

describe('ActionButtons for a HelmRelease', () => {
  const server = setupFluxServer();

  it('offers Force upgrade and Reset retries on its page, sends each to its route, and not for other kinds', async () => {
    const sent: Array<[string, unknown]> = [];
    server.use(
      http.post(`${API}/resources/:action`, async ({ params, request }) => {
        const body = (await request.json()) as { ids: string[] };
        sent.push([String(params.action), body]);
        return HttpResponse.json({
          results: body.ids.map(id => ({
            id,
            action: params.action,
            ok: true,
            requestedAt: '2026-05-04T10:00:00.000Z',
            handled: true,
          })),
        });
      }),
    );
    const release = failingRedis('dev');
    await renderInTestApp(
      <FluxTestApis>
        <ActionReports>
          <ActionButtons mode="detail" resources={[release]} />
          <ActionButtons mode="detail" resources={[podinfo]} />
        </ActionReports>
      </FluxTestApis>,
    );
    await waitFor(() =>
      expect(
        screen.getByRole('button', { name: 'Force upgrade' }),
      ).toBeEnabled(),
    );
    // One of each: the Kustomization's buttons have neither.
    expect(
      screen.getAllByRole('button', { name: 'Force upgrade' }),
    ).toHaveLength(1);
    expect(
      screen.getAllByRole('button', { name: 'Reset retries' }),
    ).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: 'Reconcile' })).toHaveLength(
      2,
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Force upgrade' }),
    );
    expect(
      await screen.findByText(
        `Force upgrade requested for ${describeResource(release)}`,
      ),
    ).toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Reset retries' }),
    );
    await waitFor(() =>
      expect(sent).toEqual([
        ['force', { ids: [release.id] }],
        ['reset', { ids: [release.id] }],
      ]),
    );
  });
});

describe('ActionButtons suspending', () => {
  const server = setupFluxServer();

  it('asks why and until when, and sends both with the suspension', async () => {
    let sent: Record<string, unknown> | undefined;
    server.use(
      http.post(`${API}/resources/suspend`, async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json({
          results: [{ id: podinfo.id, action: 'suspend', ok: true }],
        });
      }),
    );
    await renderInTestApp(
      <FluxTestApis>
        <ActionReports>
          <ActionButtons mode="detail" resources={[podinfo]} />
        </ActionReports>
      </FluxTestApis>,
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Suspend' }),
    );
    const dialog = await screen.findByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Suspend' });
    // No reason, no suspension.
    expect(confirm).toBeDisabled();
    await userEvent.type(
      within(dialog).getByLabelText(/Reason/),
      '  Incident 4711: database failover ',
    );
    await userEvent.click(
      within(dialog).getByLabelText('Resume automatically'),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'After 4 hours' }),
    );
    const before = Date.now();
    await userEvent.click(confirm);
    await waitFor(() => expect(sent).toBeDefined());
    expect(sent).toMatchObject({
      ids: [podinfo.id],
      reason: 'Incident 4711: database failover',
    });
    const until = Date.parse(sent!.until as string);
    expect(until - before).toBeGreaterThan(4 * 3_600_000 - 60_000);
    expect(until - before).toBeLessThanOrEqual(4 * 3_600_000 + 60_000);
  });
});
