import { fieldErrorOf } from './fieldErrors';

const FIELDS = ['name', 'title', 'kubeconfig', 'context'];

describe('fieldErrorOf', () => {
  it.each([
    [
      'name: must be lowercase letters, digits and dashes',
      {
        field: 'name',
        message: 'must be lowercase letters, digits and dashes',
      },
    ],
    [
      'context: "staging" is not a context of the kubeconfig',
      {
        field: 'context',
        message: '"staging" is not a context of the kubeconfig',
      },
    ],
    // A field the form does not have stays a form-level error, whole.
    [
      'server: https://10.0.0.1:6443 did not answer',
      { message: 'server: https://10.0.0.1:6443 did not answer' },
    ],
    [
      'connect ECONNREFUSED 10.0.0.1:6443',
      { message: 'connect ECONNREFUSED 10.0.0.1:6443' },
    ],
    [
      'kubeconfig: line 3:\n  bad indentation',
      { field: 'kubeconfig', message: 'line 3:\n  bad indentation' },
    ],
    // What the API's spec refuses, as its validator says it.
    [
      'request/body/name must match pattern "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"',
      {
        field: 'name',
        message: 'must match pattern "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$"',
      },
    ],
    [
      'request/body/kubeconfig must NOT have more than 262144 characters',
      {
        field: 'kubeconfig',
        message: 'must NOT have more than 262144 characters',
      },
    ],
    [
      "request/body must have required property 'kubeconfig'",
      { field: 'kubeconfig', message: 'is required' },
    ],
    [
      'request/body/ids must NOT have more than 100 items',
      { message: 'request/body/ids must NOT have more than 100 items' },
    ],
  ])('places %j', (message, expected) => {
    expect(fieldErrorOf(new Error(message), FIELDS)).toEqual(expected);
  });
});
