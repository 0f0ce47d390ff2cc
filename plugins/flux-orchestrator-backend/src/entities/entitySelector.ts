import {
  EntityFluxSelector,
  FLUX_ENTITY_ANNOTATIONS,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { LabelRequirement, parseLabelSelector } from './labelSelector';

/**
 * The label requirements an entity's objects must meet. As in the Kubernetes plugin, an explicit label
 * selector wins over `kubernetes-id` (which means `backstage.io/kubernetes-id=<id>`); a namespace alone
 * selects every object of that namespace.
 */
export function toLabelRequirements(
  selector: EntityFluxSelector,
): LabelRequirement[] {
  if (selector.labelSelector) return parseLabelSelector(selector.labelSelector);
  if (selector.kubernetesId) {
    return [
      {
        key: FLUX_ENTITY_ANNOTATIONS.kubernetesId,
        operator: 'equals',
        value: selector.kubernetesId,
      },
    ];
  }
  return [];
}
