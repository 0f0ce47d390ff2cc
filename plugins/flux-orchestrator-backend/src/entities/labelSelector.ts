import { InputError } from '@backstage/errors';

/**
 * One requirement of a Kubernetes label selector.
 *
 * @public
 */
export type LabelRequirement =
  | { key: string; operator: 'equals' | 'notEquals'; value: string }
  | { key: string; operator: 'in' | 'notIn'; values: string[] }
  | { key: string; operator: 'exists' | 'doesNotExist' };

// Label keys: optional DNS prefix, then a name; values: up to 63 of [A-Za-z0-9-_.]. Kubernetes' own grammar.
const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside a `(…)` value set. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  terms.push(current);
  return terms.map(t => t.trim()).filter(Boolean);
}

function checkKey(key: string, selector: string): string {
  if (!KEY.test(key))
    throw new InputError(
      `label selector "${selector}": "${key}" is not a valid label key`,
    );
  return key;
}

function checkValue(value: string, selector: string): string {
  if (!VALUE.test(value) || value.length > 63) {
    throw new InputError(
      `label selector "${selector}": "${value}" is not a valid label value`,
    );
  }
  return value;
}

/**
 * Parses a label selector as `kubectl -l` and the Kubernetes plugin's `backstage.io/kubernetes-label-selector`
 * annotation take it: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, comma-separated (AND).
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements = splitTerms(selector).map((term): LabelRequirement => {
    const set = /^(\S+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3].split(',').map(v => checkValue(v.trim(), selector));
      return {
        key: checkKey(set[1], selector),
        operator: set[2] === 'in' ? 'in' : 'notIn',
        values,
      };
    }
    const comparison = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
    if (comparison) {
      return {
        key: checkKey(comparison[1], selector),
        operator: comparison[2] === '!=' ? 'notEquals' : 'equals',
        value: checkValue(comparison[3], selector),
      };
    }
    if (term.startsWith('!'))
      return {
        key: checkKey(term.slice(1).trim(), selector),
        operator: 'doesNotExist',
      };
    if (KEY.test(term)) return { key: term, operator: 'exists' };
    throw new InputError(`label selector "${selector}": cannot read "${term}"`);
  });
  if (!requirements.length)
    throw new InputError(`label selector "${selector}" is empty`);
  return requirements;
}

/**
 * Whether Kubernetes itself would accept this label: a key of at most 253 + 1 + 63 characters in its grammar and
 * a value of at most 63. Only such labels are stored as rows; an API server never returns others.
 */
export function isKubernetesLabel(
  key: string,
  value: unknown,
): value is string {
  if (
    typeof value !== 'string' ||
    value.length > 63 ||
    !KEY.test(key) ||
    !VALUE.test(value)
  )
    return false;
  const slash = key.indexOf('/');
  return slash <= 253 && key.length - slash - 1 <= 63;
}

export function matchesLabels(
  requirements: LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'equals':
        return has && labels[r.key] === r.value;
      case 'notEquals':
        return !has || labels[r.key] !== r.value;
      case 'in':
        return has && r.values.includes(labels[r.key]);
      case 'notIn':
        return !has || !r.values.includes(labels[r.key]);
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
      default:
        return false;
    }
  });
}
