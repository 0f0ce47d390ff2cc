import { usePermission } from '@backstage/plugin-permission-react';
import { fluxPermissions } from '@internal/plugin-flux-orchestrator-common';

type FluxPermission = (typeof fluxPermissions)[number];

/** Whether the user may do something, and if not, the sentence a disabled button shows on hover. */
export interface PermissionState {
  allowed: boolean;
  loading: boolean;
  /** Names the missing permission, for the tooltip of a disabled control. */
  deniedReason?: string;
}

export function useFluxPermission(permission: FluxPermission): PermissionState {
  const { allowed, loading } = usePermission({ permission });
  return {
    allowed,
    loading,
    deniedReason:
      allowed || loading ? undefined : `You do not have the permission ${permission.name}`,
  };
}
