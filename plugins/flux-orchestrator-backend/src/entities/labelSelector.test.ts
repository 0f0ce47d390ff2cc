import { matchesLabels, parseLabelSelector } from './labelSelector';

const podinfo = {
  'app.kubernetes.io/name': 'podinfo',
  'app.kubernetes.io/part-of': 'fleet',
  tier: 'frontend',
};

describe('label selectors', () => {
  it.each([
    ['app.kubernetes.io/name=podinfo', true],
    ['app.kubernetes.io/name==podinfo', true],
    ['app.kubernetes.io/name=redis', false],
    ['app.kubernetes.io/name!=redis', true],
    ['app.kubernetes.io/name=podinfo,tier=backend', false],
    ['app.kubernetes.io/name=podinfo, tier=frontend', true],
    ['tier in (frontend, backend)', true],
    ['tier notin (frontend)', false],
    ['environment notin (production)', true],
    ['app.kubernetes.io/part-of', true],
    ['!app.kubernetes.io/part-of', false],
    ['!environment', true],
    ['tier in (backend),app.kubernetes.io/part-of=fleet', false],
  ])('%s matches podinfo: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), podinfo)).toBe(expected);
  });

  it.each([
    ['', /is empty/],
    ['tier in frontend', /cannot read "tier in frontend"/],
    ['Tier$=x', /cannot read|not a valid label key/],
    ['tier=front end', /cannot read|not a valid label value/],
  ])('refuses %j with a message that quotes it', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});
