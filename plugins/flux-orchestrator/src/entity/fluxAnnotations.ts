import { Entity } from '@backstage/catalog-model';

/**
 * The annotations through which an entity names its Kubernetes objects, the same ones the Kubernetes plugin
 * reads (https://backstage.io/docs/features/kubernetes/configuration#surfacing-your-kubernetes-components-as-part-of-an-entity).
 */
export const FLUX_ENTITY_ANNOTATIONS = [
  'backstage.io/kubernetes-id',
  'backstage.io/kubernetes-label-selector',
  'backstage.io/kubernetes-namespace',
] as const;

/** Whether an entity selects Flux objects, and so gets the Flux tab and card. */
export function isFluxEntity(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return FLUX_ENTITY_ANNOTATIONS.some(name => !!annotations[name]?.trim());
}
