import { InputError } from '@backstage/errors';
import { isAlias, isMap, isScalar, isSeq, parseDocument, Node } from 'yaml';

/** Nodes a document may hold: a kubeconfig of dozens of contexts has a few thousand. */
const MAX_NODES = 50_000;

function fail(field: string, message: string): never {
  throw new InputError(`${field}: ${message}`);
}

function where(node: Node, lineOf: (offset: number) => string): string {
  return node.range ? ` (${lineOf(node.range[0])})` : '';
}

function lineCounter(text: string) {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
    starts.push(i + 1);
  return (offset: number) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return `line ${low + 1}, column ${offset - starts[low] + 1}`;
  };
}

/**
 * Parses YAML the one way untrusted text is parsed here: the core schema, and nothing a kubeconfig does not
 * need. Anchors, aliases, merge keys (`<<`) and explicit tags are refused rather than interpreted, because a
 * second YAML library would interpret them differently (js-yaml, inside client-node, merges `<<`; the `yaml`
 * package keeps it as a key) — and once refused, no consumer can disagree about what the text says.
 * Duplicate keys are refused in linear time (one Set per mapping; the `yaml` package's own check compares
 * every pair). Returns plain data: objects, arrays, strings, numbers, booleans and null.
 */
export function parseYamlStrictly(text: string, field: string): unknown {
  const doc = parseDocument(text, {
    schema: 'core',
    merge: false,
    uniqueKeys: false,
    prettyErrors: true,
    strict: true,
  });
  if (doc.errors.length) {
    const first = doc.errors[0];
    const line = first.linePos?.[0];
    fail(
      field,
      `is not valid YAML${
        line ? ` (line ${line.line}, column ${line.col})` : ''
      }: ${first.message.split('\n')[0]}`,
    );
  }
  const lineOf = lineCounter(text);
  let nodes = 0;
  const stack: unknown[] = doc.contents ? [doc.contents] : [];
  while (stack.length) {
    const node = stack.pop() as Node;
    if (++nodes > MAX_NODES)
      fail(
        field,
        `has more than ${MAX_NODES} YAML nodes; export only the context you need`,
      );
    if (isAlias(node)) {
      fail(
        field,
        `uses a YAML alias (*${node.source})${where(
          node,
          lineOf,
        )}; a kubeconfig needs no anchors or aliases: write the values out`,
      );
    }
    if (node.anchor) {
      fail(
        field,
        `uses a YAML anchor (&${node.anchor})${where(
          node,
          lineOf,
        )}; a kubeconfig needs no anchors or aliases: write the values out`,
      );
    }
    if (node.tag) {
      fail(
        field,
        `uses the YAML tag ${node.tag}${where(
          node,
          lineOf,
        )}; a kubeconfig needs no tags`,
      );
    }
    if (isMap(node)) {
      const keys = new Set<string>();
      for (const pair of node.items) {
        const key = pair.key as Node | null;
        if (!isScalar(key) || typeof key.value !== 'string') {
          fail(
            field,
            `has a key that is not a string${key ? where(key, lineOf) : ''}`,
          );
        }
        if (key.anchor || key.tag) stack.push(key);
        if (key.value === '<<') {
          fail(
            field,
            `uses a YAML merge key (<<)${where(
              key,
              lineOf,
            )}; a kubeconfig needs no merge keys: write the values out`,
          );
        }
        if (keys.has(key.value))
          fail(
            field,
            `has the key "${key.value}" twice in one mapping${where(
              key,
              lineOf,
            )}`,
          );
        keys.add(key.value);
        if (pair.value) stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item) stack.push(item);
    }
  }
  return doc.toJS({ maxAliasCount: 0 });
}
