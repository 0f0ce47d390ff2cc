import { useApi } from '@backstage/core-plugin-api';
import {
  AuthorizeResult,
  isResourcePermission,
} from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { fluxPermissions } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import useAsync from 'react-use/esm/useAsync';

type FluxPermission = (typeof fluxPermissions)[number];

/** Whether the user may do something, and if not, the sentence a disabled button shows on hover. */
export interface PermissionState {
  allowed: boolean;
  loading: boolean;
  /** Names the missing permission, for the tooltip of a disabled control. */
  deniedReason?: string;
}

/** Where a permission is missing, when it was asked about several objects at once. */
function whereDenied(denied: number, total: number): string {
  if (total <= 1) return '';
  return denied === total
    ? ` on any of the ${total} selected`
    : ` on ${denied} of the ${total} selected`;
}

/**
 * Asks the permission policy about one permission. A permission on Flux objects or clusters is asked for each of
 * `resourceRefs` (object ids or cluster names), since a policy may allow it on some and not on others; the
 * permission client sends all the questions of a render in one request.
 */
export function useFluxPermission(
  permission: FluxPermission,
  resourceRefs: string[] = [],
): PermissionState {
  const permissionApi = useApi(permissionApiRef);
  const refsKey = resourceRefs.join('\n');
  const {
    value: deniedRefs,
    loading,
    error,
  } = useAsync(async () => {
    if (!isResourcePermission(permission)) {
      const { result } = await permissionApi.authorize({ permission });
      return result === AuthorizeResult.ALLOW ? [] : [''];
    }
    const refs = refsKey ? refsKey.split('\n') : [];
    const decisions = await Promise.all(
      refs.map(resourceRef =>
        permissionApi.authorize({ permission, resourceRef }),
      ),
    );
    return refs.filter((_, i) => decisions[i].result !== AuthorizeResult.ALLOW);
  }, [permissionApi, permission, refsKey]);

  if (loading) return { allowed: false, loading: true };
  if (error)
    return {
      allowed: false,
      loading: false,
      deniedReason: `Could not check the permission ${permission.name}: ${error.message}`,
    };
  const denied = deniedRefs ?? [];
  if (!denied.length) return { allowed: true, loading: false };
  return {
    allowed: false,
    loading: false,
    deniedReason: `You do not have the permission ${
      permission.name
    }${whereDenied(denied.length, resourceRefs.length)}`,
  };
}
