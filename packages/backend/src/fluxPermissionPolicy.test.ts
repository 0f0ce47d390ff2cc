import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  fluxClusterCreatePermission,
  fluxReadPermission,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
} from '@internal/plugin-flux-orchestrator-common';
import { FLUX_OPERATORS_GROUP, FluxPermissionPolicy } from './fluxPermissionPolicy';

function user(ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: { type: 'user', userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'token',
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as PolicyQueryUser;
}

const viewer = user(['user:default/jane', 'group:default/developers']);
const operator = user(['user:default/guest', FLUX_OPERATORS_GROUP]);

describe('the dev permission policy', () => {
  const policy = new FluxPermissionPolicy();
  it.each([
    ['a viewer', viewer, fluxReadPermission, AuthorizeResult.ALLOW],
    ['a viewer', viewer, fluxResourceReconcilePermission, AuthorizeResult.DENY],
    ['a viewer', viewer, fluxResourceSuspendPermission, AuthorizeResult.DENY],
    ['a viewer', viewer, fluxClusterCreatePermission, AuthorizeResult.DENY],
    ['an operator', operator, fluxResourceReconcilePermission, AuthorizeResult.ALLOW],
    ['an operator', operator, fluxClusterCreatePermission, AuthorizeResult.ALLOW],
  ])('gives %s %s: %s', async (_who, who, permission, expected) => {
    expect((await policy.handle({ permission }, who)).result).toBe(expected);
  });

  it("leaves other plugins' permissions allowed, as the allow-all policy did", async () => {
    const catalogRead = { type: 'basic' as const, name: 'catalog.entity.read', attributes: { action: 'read' as const } };
    expect((await policy.handle({ permission: catalogRead }, viewer)).result).toBe(AuthorizeResult.ALLOW);
  });
});
