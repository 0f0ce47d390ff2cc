import { Entity } from '@backstage/catalog-model';
import { isFluxEntity } from './fluxAnnotations';

function component(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'podinfo', annotations },
    spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
  };
}

describe('isFluxEntity', () => {
  it.each([
    ['a kubernetes-id', { 'backstage.io/kubernetes-id': 'podinfo' }, true],
    [
      'a label selector',
      {
        'backstage.io/kubernetes-label-selector':
          'app.kubernetes.io/name=podinfo',
      },
      true,
    ],
    ['only a namespace', { 'backstage.io/kubernetes-namespace': 'apps' }, true],
    [
      'an id and a namespace',
      {
        'backstage.io/kubernetes-id': 'podinfo',
        'backstage.io/kubernetes-namespace': 'apps',
      },
      true,
    ],
    ['an empty kubernetes-id', { 'backstage.io/kubernetes-id': '  ' }, false],
    [
      'only unrelated annotations',
      { 'github.com/project-slug': 'stefanprodan/podinfo' },
      false,
    ],
    [
      'the Kubernetes plugin’s cluster annotation alone',
      { 'backstage.io/kubernetes-cluster': 'dev' },
      false,
    ],
    ['no annotations at all', undefined, false],
  ])('with %s: %s', (_, annotations, expected) => {
    expect(isFluxEntity(component(annotations))).toBe(expected);
  });
});
