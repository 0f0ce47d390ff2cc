import { expect, itemsOf, test } from '../fixtures';

interface Cluster {
  name: string;
  title?: string;
}

// A host name: it is not resolved while the kubeconfig is checked, so the refusal names the field under test.
const server = 'https://k8s.example.com:6443';

/** A kubeconfig whose user gets its credentials by running a program on the portal's host. */
const EXEC_KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
  - name: remote
    cluster:
      server: ${server}
contexts:
  - name: remote
    context: { cluster: remote, user: ci }
current-context: remote
users:
  - name: ci
    user:
      exec:
        apiVersion: client.authentication.k8s.io/v1
        command: aws
        args: [eks, get-token, --cluster-name, remote]
`;

/** A kubeconfig that would send its token over plain HTTP. */
const HTTP_KUBECONFIG = EXEC_KUBECONFIG.replace(
  server,
  'http://203.0.113.10:8080',
).replace(/user:\n\s+exec:[\s\S]*$/, 'user:\n      token: not-a-real-token\n');

test.describe('clusters', () => {
  test('lists the demo clusters with their titles', async ({
    page,
    visit,
    capture,
  }) => {
    await visit('/flux/clusters');
    for (const title of [
      'Development',
      'Staging',
      'Production (Flux 2.4 APIs)',
    ]) {
      await expect(
        page.getByText(title, { exact: true }).first(),
      ).toBeVisible();
    }
    await capture('clusters');
  });

  test('a cluster page names the cluster and its Kubernetes API server', async ({
    page,
    visit,
    capture,
  }) => {
    await visit('/flux/clusters/dev');
    await expect(
      page.getByText('Development', { exact: true }).first(),
    ).toBeVisible();
    await expect(
      page
        .getByText(
          /Local demo cluster: kube-apiserver https:\/\/127\.0\.0\.1:\d+/,
        )
        .first(),
    ).toBeVisible();
    await capture('cluster-detail');
  });

  for (const { what, name, kubeconfig, error } of [
    {
      what: 'runs an exec plugin',
      name: 'bad-exec',
      kubeconfig: EXEC_KUBECONFIG,
      error: /exec/i,
    },
    {
      what: 'talks plain http',
      name: 'bad-http',
      kubeconfig: HTTP_KUBECONFIG,
      error: /https/i,
    },
  ]) {
    test(`adding a cluster whose kubeconfig ${what} is refused at the Kubeconfig field`, async ({
      page,
      visit,
      fluxApi,
      capture,
    }) => {
      await visit('/flux/clusters');
      await page.getByRole('button', { name: 'Add cluster' }).click();
      await page.getByLabel('Name', { exact: true }).fill(name);
      const contextsRead = page.waitForResponse(response =>
        response.url().includes('/api/flux-orchestrator/kubeconfig/contexts'),
      );
      await page.locator('#cluster-kubeconfig').fill(kubeconfig);
      // The dialog reads the pasted kubeconfig's contexts (after a pause in typing); a person sees the context
      // picker fill before clicking Add, and so does this test.
      await contextsRead;
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await expect(page.locator('#cluster-kubeconfig-helper-text')).toHaveText(
        error,
      );
      const clusters = itemsOf(
        await fluxApi.get<Cluster[] | { items: Cluster[] }>('/clusters'),
      );
      expect(clusters.map(c => c.name)).not.toContain(name);
      if (name === 'bad-exec') await capture('clusters-add-refused');
    });
  }
});
