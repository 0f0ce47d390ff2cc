import {
  AuthorizeResult,
  Permission,
} from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  fluxClusterCreatePermission,
  fluxClusterReadPermission,
  fluxClusterSyncPermission,
  fluxResourceReadPermission,
  fluxResourceReconcilePermission,
  fluxResourceSuspendPermission,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import {
  APPS_TEAM_GROUP,
  FLUX_OPERATORS_GROUP,
  FluxPermissionPolicy,
} from './fluxPermissionPolicy';

function user(ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    token: 'token',
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as PolicyQueryUser;
}

const viewer = user(['user:default/jane', 'group:default/developers']);
const operator = user(['user:default/guest', FLUX_OPERATORS_GROUP]);
const appsTeam = user(['user:default/alice', APPS_TEAM_GROUP]);

const inAppsNamespace = (_permission: { name: string }) => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'flux-orchestrator',
  resourceType: 'flux-resource',
  conditions: {
    rule: 'IS_IN_NAMESPACE',
    resourceType: 'flux-resource',
    params: { namespaces: ['apps'] },
  },
});

describe('the dev permission policy', () => {
  const policy = new FluxPermissionPolicy();
  it.each(
    (
      [
        ['a viewer', viewer, fluxResourceReadPermission, AuthorizeResult.ALLOW],
        ['a viewer', viewer, fluxClusterReadPermission, AuthorizeResult.ALLOW],
        [
          'a viewer',
          viewer,
          fluxResourceSuspendPermission,
          AuthorizeResult.DENY,
        ],
        ['a viewer', viewer, fluxClusterCreatePermission, AuthorizeResult.DENY],
        ['a viewer', viewer, fluxClusterSyncPermission, AuthorizeResult.DENY],
        [
          'an operator',
          operator,
          fluxResourceReconcilePermission,
          AuthorizeResult.ALLOW,
        ],
        [
          'an operator',
          operator,
          fluxClusterCreatePermission,
          AuthorizeResult.ALLOW,
        ],
        [
          'the apps team',
          appsTeam,
          fluxClusterReadPermission,
          AuthorizeResult.ALLOW,
        ],
        [
          'the apps team',
          appsTeam,
          fluxClusterSyncPermission,
          AuthorizeResult.DENY,
        ],
        [
          'the apps team',
          appsTeam,
          fluxClusterCreatePermission,
          AuthorizeResult.DENY,
        ],
      ] as Array<[string, PolicyQueryUser, Permission, AuthorizeResult]>
    ).map(
      ([whoName, who, permission, expected]) =>
        [whoName, permission.name, expected, who, permission] as const,
    ),
  )('gives %s %s: %s', async (_who, _name, expected, who, permission) => {
    expect((await policy.handle({ permission }, who)).result).toBe(expected);
  });

  it.each(
    [
      fluxResourceReadPermission,
      fluxResourceReconcilePermission,
      fluxResourceSuspendPermission,
    ].map(p => [p.name, p] as const),
  )(
    'lets the apps team use %s in namespace apps only',
    async (_name, permission) => {
      expect(await policy.handle({ permission }, appsTeam)).toEqual(
        inAppsNamespace(permission),
      );
    },
  );

  it('lets everyone reconcile the objects of the entities they or their groups own', async () => {
    expect(
      await policy.handle(
        { permission: fluxResourceReconcilePermission },
        viewer,
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'flux-orchestrator',
      resourceType: 'flux-resource',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'flux-resource',
        params: { claims: ['user:default/jane', 'group:default/developers'] },
      },
    });
  });

  it("leaves other plugins' permissions allowed, as the allow-all policy did", async () => {
    const catalogRead = {
      type: 'basic' as const,
      name: 'catalog.entity.read',
      attributes: { action: 'read' as const },
    };
    expect(
      (await policy.handle({ permission: catalogRead }, viewer)).result,
    ).toBe(AuthorizeResult.ALLOW);
  });
});
