import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { fluxReadPermission } from '@internal/plugin-flux-orchestrator-common';

/** Members of this group may register clusters and act on Flux objects; see examples/org.yaml. */
export const FLUX_OPERATORS_GROUP = 'group:default/flux-operators';

/**
 * The dev app's policy, as an example of granting the Flux Orchestrator permissions: everyone signed in may
 * read; changing clusters and acting on Flux objects is for the flux-operators group. Permissions of other
 * plugins are allowed, as the allow-all policy this replaces did.
 */
export class FluxPermissionPolicy implements PermissionPolicy {
  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const name = request.permission.name;
    if (!name.startsWith('flux-orchestrator.')) return { result: AuthorizeResult.ALLOW };
    if (name === fluxReadPermission.name) return { result: AuthorizeResult.ALLOW };
    const isOperator = user?.info.ownershipEntityRefs.includes(FLUX_OPERATORS_GROUP) ?? false;
    return { result: isOperator ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
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
