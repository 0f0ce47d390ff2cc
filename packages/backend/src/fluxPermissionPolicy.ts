import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  createFluxResourceConditionalDecision,
  fluxResourceConditions,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-backend';
import {
  FLUX_RESOURCE_RESOURCE_TYPE,
  fluxClusterReadPermission,
  fluxResourceReconcilePermission,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';

/** Members of this group may do everything: register clusters and act on every Flux object. */
export const FLUX_OPERATORS_GROUP = 'group:default/flux-operators';

/** Members of this team see, reconcile, suspend and resume the Flux objects of one namespace, and nothing else. */
export const APPS_TEAM_GROUP = 'group:default/apps-team';
export const APPS_TEAM_NAMESPACE = 'apps';

/**
 * The dev app's policy, an example of the Flux Orchestrator permissions and their conditions (see examples/org.yaml):
 * - flux-operators may do everything;
 * - the apps team sees every cluster but only the Flux objects of namespace `apps`, and acts on those only;
 * - everyone else sees everything, and may reconcile the objects of catalog entities they (or their groups) own.
 * Permissions of other plugins are allowed, as the allow-all policy this replaces did.
 */
export class FluxPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    if (!permission.name.startsWith('flux-orchestrator.'))
      return { result: AuthorizeResult.ALLOW };
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (claims.includes(FLUX_OPERATORS_GROUP))
      return { result: AuthorizeResult.ALLOW };

    if (claims.includes(APPS_TEAM_GROUP)) {
      if (isPermission(permission, fluxClusterReadPermission))
        return { result: AuthorizeResult.ALLOW };
      // Read, reconcile and suspend: every permission on Flux objects, in the team's namespace only.
      if (isResourcePermission(permission, FLUX_RESOURCE_RESOURCE_TYPE)) {
        return createFluxResourceConditionalDecision(
          permission,
          fluxResourceConditions.isInNamespace({
            namespaces: [APPS_TEAM_NAMESPACE],
          }),
        );
      }
      return { result: AuthorizeResult.DENY };
    }

    if (permission.attributes.action === 'read')
      return { result: AuthorizeResult.ALLOW };
    if (isPermission(permission, fluxResourceReconcilePermission)) {
      return createFluxResourceConditionalDecision(
        permission,
        fluxResourceConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.DENY };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'flux-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new FluxPermissionPolicy());
      },
    });
  },
});
