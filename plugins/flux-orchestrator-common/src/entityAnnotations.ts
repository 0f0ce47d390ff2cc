import type { EntityFluxSelector } from './types';

/**
 * The annotations through which an entity names its Kubernetes objects, the same ones the Kubernetes plugin
 * reads (https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity).
 *
 * @public
 */
export const FLUX_ENTITY_ANNOTATIONS = {
  kubernetesId: 'backstage.io/kubernetes-id',
  labelSelector: 'backstage.io/kubernetes-label-selector',
  namespace: 'backstage.io/kubernetes-namespace',
} as const;

/**
 * An entity's selector from its annotations; undefined when it has none of them (blank values count as
 * absent). The frontend shows the Flux tab exactly when this is defined, and the backend selects by it.
 *
 * @public
 */
export function readEntitySelector(
  annotations: Record<string, string> | undefined,
): EntityFluxSelector | undefined {
  const selector: EntityFluxSelector = {};
  for (const [field, annotation] of Object.entries(FLUX_ENTITY_ANNOTATIONS)) {
    const value = annotations?.[annotation]?.trim();
    if (value) selector[field as keyof EntityFluxSelector] = value;
  }
  return Object.keys(selector).length ? selector : undefined;
}
