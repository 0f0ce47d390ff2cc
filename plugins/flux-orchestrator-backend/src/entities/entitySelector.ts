import { Entity } from '@backstage/catalog-model';
import { EntityFluxSelector } from '@internal/plugin-flux-orchestrator-common';
import { LabelRequirement, parseLabelSelector } from './labelSelector';

export const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';
export const KUBERNETES_LABEL_SELECTOR_ANNOTATION = 'backstage.io/kubernetes-label-selector';
export const KUBERNETES_NAMESPACE_ANNOTATION = 'backstage.io/kubernetes-namespace';

/** The entity's Kubernetes plugin annotations; undefined when it has none of them. */
export function readEntitySelector(entity: Entity): EntityFluxSelector | undefined {
  const annotations = entity.metadata.annotations ?? {};
  const selector: EntityFluxSelector = {
    kubernetesId: annotations[KUBERNETES_ID_ANNOTATION] || undefined,
    labelSelector: annotations[KUBERNETES_LABEL_SELECTOR_ANNOTATION] || undefined,
    namespace: annotations[KUBERNETES_NAMESPACE_ANNOTATION] || undefined,
  };
  if (!selector.kubernetesId && !selector.labelSelector && !selector.namespace) return undefined;
  return Object.fromEntries(Object.entries(selector).filter(([, v]) => v)) as EntityFluxSelector;
}

/**
 * The label requirements an entity's objects must meet. As in the Kubernetes plugin, an explicit label
 * selector wins over `kubernetes-id` (which means `backstage.io/kubernetes-id=<id>`); a namespace alone
 * selects every object of that namespace.
 */
export function toLabelRequirements(selector: EntityFluxSelector): LabelRequirement[] {
  if (selector.labelSelector) return parseLabelSelector(selector.labelSelector);
  if (selector.kubernetesId) {
    return [{ key: KUBERNETES_ID_ANNOTATION, operator: 'equals', value: selector.kubernetesId }];
  }
  return [];
}
