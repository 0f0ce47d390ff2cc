import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { cluster } from '../../__testUtils__/fluxFixtures';
import {
  API,
  renderFlux,
  setupFluxServer,
} from '../../__testUtils__/renderFlux';

const server = setupFluxServer();

const KUBECONFIG = `apiVersion: v1
kind: Config
current-context: ci
clusters:
  - name: staging
    cluster: { server: https://staging.k8s.example.com:6443 }
users:
  - name: ci
    user:
      exec: { command: aws, args: [eks, get-token] }
contexts:
  - name: ci
    context: { cluster: staging, user: ci }
  - name: admin
    context: { cluster: staging, user: admin }
`;

const EXEC_ERROR =
  'user "ci" uses an exec plugin; exec is disabled (fluxOrchestrator.kubeconfig.allowExec)';

function backend() {
  server.use(
    http.get(`${API}/clusters`, () =>
      HttpResponse.json([
        cluster('dev'),
        cluster('prod', { source: 'config', readOnly: true }),
      ]),
    ),
    http.post(`${API}/kubeconfig/contexts`, () =>
      HttpResponse.json([
        {
          name: 'ci',
          cluster: 'staging',
          user: 'ci',
          server: 'https://staging.k8s.example.com:6443',
          current: true,
        },
        {
          name: 'admin',
          cluster: 'staging',
          user: 'admin',
          server: 'https://staging.k8s.example.com:6443',
          current: false,
        },
      ]),
    ),
  );
}

describe('ClustersPage', () => {
  it('lists the kubeconfig’s contexts and shows the backend’s kubeconfig error beside the kubeconfig field', async () => {
    backend();
    let registration: unknown;
    server.use(
      http.post(`${API}/clusters`, async ({ request }) => {
        registration = await request.json();
        return HttpResponse.json(
          {
            error: { name: 'InputError', message: `kubeconfig: ${EXEC_ERROR}` },
            response: { statusCode: 400 },
          },
          { status: 400 },
        );
      }),
    );
    await renderFlux('/flux/clusters');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add cluster' }),
    );
    const dialog = await screen.findByRole('dialog');
    // Pasting rather than typing: it is faster, and YAML braces mean something to userEvent.type.
    await userEvent.click(within(dialog).getByLabelText('Name'));
    await userEvent.paste('staging');
    await userEvent.click(within(dialog).getByLabelText('Title'));
    await userEvent.paste('Staging');
    await userEvent.click(within(dialog).getByLabelText('Kubeconfig'));
    await userEvent.paste(KUBECONFIG);
    const context = within(dialog).getByLabelText('Context');
    await waitFor(() => expect(context).toHaveValue('ci'));
    await userEvent.selectOptions(context, 'admin');

    await userEvent.click(within(dialog).getByRole('button', { name: 'Add' }));
    const helper = await waitFor(() => {
      const element = document.querySelector('#cluster-kubeconfig-helper-text');
      expect(element).toHaveTextContent(EXEC_ERROR);
      return element;
    });
    expect(helper).toHaveClass('Mui-error');
    expect(registration).toEqual({
      name: 'staging',
      title: 'Staging',
      kubeconfig: KUBECONFIG,
      context: 'admin',
    });
  }, 15_000);

  it('keeps the error of a quick submit when the context lookup answers after it', async () => {
    backend();
    let answerSubmit: () => void = () => {};
    const submitAnswered = new Promise<void>(resolve => {
      answerSubmit = resolve;
    });
    server.use(
      http.post(`${API}/clusters`, () => {
        answerSubmit();
        return HttpResponse.json(
          {
            error: { name: 'InputError', message: `kubeconfig: ${EXEC_ERROR}` },
            response: { statusCode: 400 },
          },
          { status: 400 },
        );
      }),
      // The lookup is debounced and slow to answer: it comes back only after the refusal of the submit.
      http.post(`${API}/kubeconfig/contexts`, async () => {
        await submitAnswered;
        await new Promise(resolve => setTimeout(resolve, 50));
        return HttpResponse.json([
          {
            name: 'ci',
            cluster: 'staging',
            user: 'ci',
            server: 'https://staging.k8s.example.com:6443',
            current: true,
          },
        ]);
      }),
    );
    await renderFlux('/flux/clusters');
    await userEvent.click(
      await screen.findByRole('button', { name: 'Add cluster' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Add cluster' });
    await userEvent.click(within(dialog).getByLabelText('Name'));
    await userEvent.paste('staging');
    await userEvent.click(within(dialog).getByLabelText('Kubeconfig'));
    await userEvent.paste(KUBECONFIG);
    await userEvent.click(within(dialog).getByRole('button', { name: 'Add' }));

    const helper = () =>
      document.querySelector('#cluster-kubeconfig-helper-text');
    await waitFor(() => expect(helper()).toHaveTextContent(EXEC_ERROR));
    // The lookup's answer fills the context picker but leaves the submit's error where it is.
    await waitFor(
      () => expect(within(dialog).getByLabelText('Context')).toHaveValue('ci'),
      { timeout: 5_000 },
    );
    expect(helper()).toHaveTextContent(EXEC_ERROR);
    expect(helper()).toHaveClass('Mui-error');
  }, 15_000);

  it('edits a cluster: clears its title, and asks for the kubeconfig again to change the context', async () => {
    backend();
    let update: unknown;
    server.use(
      http.put(`${API}/clusters/dev`, async ({ request }) => {
        update = await request.json();
        return HttpResponse.json(cluster('dev', { title: 'dev' }));
      }),
    );
    await renderFlux('/flux/clusters');
    const dev = (await screen.findAllByTestId('cluster-row'))[0];
    await userEvent.click(within(dev).getByRole('button', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit Development',
    });
    await userEvent.clear(within(dialog).getByLabelText('Title'));
    // No kubeconfig pasted: only the context in use was stored, so there is no other to pick.
    expect(within(dialog).getByLabelText('Context')).toBeDisabled();
    expect(
      within(dialog).getByText(
        /Paste the kubeconfig again to use another context/,
      ),
    ).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(update).toEqual({ title: '', description: '' }));
  }, 15_000);

  it('opens the kubeconfig file picker from the keyboard', async () => {
    backend();
    // jsdom has no file picker (nor File.text); the test checks that the hidden file input is opened.
    const openPicker = jest
      .spyOn(HTMLInputElement.prototype, 'click')
      .mockImplementation(() => {});
    try {
      await renderFlux('/flux/clusters');
      await userEvent.click(
        await screen.findByRole('button', { name: 'Add cluster' }),
      );
      const dialog = await screen.findByRole('dialog', { name: 'Add cluster' });
      const upload = within(dialog).getByRole('button', {
        name: 'Upload kubeconfig file',
      });
      upload.focus();
      await userEvent.keyboard('{Enter}');
      expect(openPicker.mock.contexts).toContain(
        within(dialog).getByLabelText('Kubeconfig file'),
      );
    } finally {
      openPicker.mockRestore();
    }
  });

  it('asks before deleting, naming the cluster', async () => {
    backend();
    let deleted = false;
    server.use(
      http.delete(`${API}/clusters/dev`, () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await renderFlux('/flux/clusters');
    const rows = await screen.findAllByTestId('cluster-row');
    await userEvent.click(
      within(rows[0]).getByRole('button', { name: 'Delete' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Delete cluster Development (dev)?');
    expect(deleted).toBe(false);
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Delete' }),
    );
    await waitFor(() => expect(deleted).toBe(true));
  });

  it('explains why a cluster from app-config cannot be edited or deleted', async () => {
    backend();
    await renderFlux('/flux/clusters');
    const prod = (await screen.findAllByTestId('cluster-row'))[1];
    const edit = within(prod).getByRole('button', { name: 'Edit' });
    expect(edit).toBeDisabled();
    expect(within(prod).getByRole('button', { name: 'Delete' })).toBeDisabled();
    await userEvent.hover(edit.parentElement!);
    expect(await screen.findByRole('tooltip')).toHaveTextContent(
      'Defined in app-config (fluxOrchestrator.clusters)',
    );
  });

  it('syncs a cluster now, showing progress and then the outcome', async () => {
    backend();
    let finish: () => void = () => {};
    server.use(
      http.post(`${API}/clusters/dev/sync`, async () => {
        await new Promise<void>(resolve => {
          finish = resolve;
        });
        return HttpResponse.json({
          id: 7,
          cluster: 'dev',
          trigger: 'manual',
          status: 'succeeded',
          startedAt: '2026-05-04T10:00:00Z',
          finishedAt: '2026-05-04T10:00:02Z',
          durationMs: 1840,
          listed: 13,
          inserted: 1,
          updated: 2,
          deleted: 0,
          unchanged: 10,
        });
      }),
    );
    await renderFlux('/flux/clusters');
    const dev = (await screen.findAllByTestId('cluster-row'))[0];
    await userEvent.click(
      within(dev).getByRole('button', { name: 'Sync now' }),
    );
    expect(await within(dev).findByLabelText('Syncing')).toBeInTheDocument();
    expect(
      within(dev).getByRole('button', { name: /Sync now/ }),
    ).toBeDisabled();
    finish();
    expect(await within(dev).findByTestId('sync-outcome')).toHaveTextContent(
      'succeeded in 1.8 s: 13 listed, 1 new, 2 changed, 0 gone',
    );
  });
});
