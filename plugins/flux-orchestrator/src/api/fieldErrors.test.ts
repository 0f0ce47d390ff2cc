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
  ])('places %j', (message, expected) => {
    expect(fieldErrorOf(new Error(message), FIELDS)).toEqual(expected);
  });
});
