import { readAppliedApiVersion } from './readAppliedApiVersion';

const GROUP = 'helm.toolkit.fluxcd.io';

describe('readAppliedApiVersion', () => {
  it('takes the newest apply, or update by a client that writes manifests, ignoring the controllers', () => {
    expect(
      readAppliedApiVersion(
        [
          {
            manager: 'kustomize-controller',
            operation: 'Apply',
            apiVersion: `${GROUP}/v2beta1`,
            time: '2026-11-01T10:00:00Z',
          },
          // The controller's own finalizer and status writes, at the version it is built for.
          {
            manager: 'helm-controller',
            operation: 'Update',
            apiVersion: `${GROUP}/v2`,
            time: '2026-12-01T10:00:00Z',
          },
          {
            manager: 'helm-controller',
            operation: 'Update',
            apiVersion: `${GROUP}/v2`,
            time: '2026-12-01T10:00:01Z',
            subresource: 'status',
          },
        ],
        GROUP,
      ),
    ).toBe(`${GROUP}/v2beta1`);
    expect(
      readAppliedApiVersion(
        [
          {
            manager: 'kustomize-controller',
            operation: 'Apply',
            apiVersion: `${GROUP}/v2beta1`,
            time: '2026-11-01T10:00:00Z',
          },
          {
            manager: 'kubectl-client-side-apply',
            operation: 'Update',
            apiVersion: `${GROUP}/v2`,
            time: '2026-11-02T10:00:00Z',
          },
        ],
        GROUP,
      ),
    ).toBe(`${GROUP}/v2`);
  });

  it('answers nothing when no entry tells, or the entries are not what Kubernetes writes', () => {
    expect(readAppliedApiVersion(undefined, GROUP)).toBeUndefined();
    expect(readAppliedApiVersion('managed', GROUP)).toBeUndefined();
    expect(
      readAppliedApiVersion(
        [
          null,
          {
            manager: 'helm-controller',
            operation: 'Update',
            apiVersion: `${GROUP}/v2`,
          },
          { operation: 'Apply', apiVersion: 'apps/v1' },
          { operation: 'Apply', apiVersion: 42 },
        ],
        GROUP,
      ),
    ).toBeUndefined();
  });
});
