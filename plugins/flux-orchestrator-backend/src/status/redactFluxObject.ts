import { KubernetesObject } from './parseFluxObject';

/**
 * Removes the secret values a Flux object can carry inline, before the object is parsed and stored.
 *
 * What the rules keep: references to Secrets (`secretRef`, `valuesFrom`, `substituteFrom`, `certSecretRef`,
 * `proxySecretRef`, ...) are names, not values, and stay. What they drop is listed rule by rule below; each
 * rule names the Flux field and why it can hold a secret. Everything is pure: the input is deep-copied first
 * and only the copy is changed.
 */

/** What a redacted field holds instead of its value. */
export const REDACTED = '[redacted by Flux Orchestrator]';

/** What replaces the secret part of a longer string (a URL's userinfo, a token in a message). */
const INLINE = '[redacted]';

/**
 * Containers nested deeper than this are replaced by the marker. No Flux object comes near it (HelmRelease
 * values are the deepest and are cut to their top-level keys), and everything after us (JSON.stringify, the
 * database, the YAML view of the detail page) walks objects recursively.
 */
const MAX_DEPTH = 64;

/** @public */
export interface RedactionOptions {
  /** Keep HelmRelease `spec.values` as they are (a per-cluster opt-in); URLs in them are still scrubbed. */
  keepHelmValues?: boolean;
  /**
   * The kind the object was listed as, for objects that do not say (items of a list may lack `kind`).
   * When neither the object nor this option names a kind, every kind's rules apply.
   */
  kind?: string;
}

/** @public */
export interface RedactedObject {
  object: KubernetesObject;
  /**
   * Where something was redacted, in a stable order: whole fields first (`spec.values`,
   * `spec.postBuild.substitute.DB_PASSWORD`), then fields with credentials cut out of their text
   * (`spec.url (credentials)`), then structure that was cut (`... (nested too deep)`).
   */
  redacted: string[];
}

type Container = Record<string, unknown> | unknown[];
type JsonRecord = Record<string, unknown>;

function isRecord(value: unknown): value is JsonRecord {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date)
  );
}

function joinPath(parent: string, key: string, inArray: boolean): string {
  if (inArray) return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

// ---------------------------------------------------------------------------------------------------------
// Copying

/**
 * Deep-copies with an explicit stack, so a hostile nesting cannot overflow the call stack. Dates (client-node
 * turns `creationTimestamp` into one) stay Dates. A container seen twice (only possible for input that did not
 * come from JSON) and containers deeper than MAX_DEPTH are replaced by the marker, so the copy is a finite tree.
 */
function copyBounded(root: JsonRecord, notes: string[]): JsonRecord {
  const copy: JsonRecord = {};
  const seen = new Set<object>([root]);
  const stack: {
    source: Container;
    target: any;
    path: string;
    depth: number;
  }[] = [{ source: root, target: copy, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { source, target, path, depth } = stack.pop()!;
    const inArray = Array.isArray(source);
    for (const [key, value] of Object.entries(source)) {
      const childPath = joinPath(path, key, inArray);
      if (typeof value !== 'object' || value === null) {
        target[key] = value;
      } else if (value instanceof Date) {
        target[key] = new Date(value.getTime());
      } else if (seen.has(value)) {
        target[key] = REDACTED;
        notes.push(`${childPath} (repeated reference)`);
      } else if (depth + 1 > MAX_DEPTH) {
        target[key] = REDACTED;
        notes.push(`${childPath} (nested too deep)`);
      } else {
        seen.add(value);
        const child = Array.isArray(value) ? [] : {};
        target[key] = child;
        stack.push({
          source: value as Container,
          target: child,
          path: childPath,
          depth: depth + 1,
        });
      }
    }
  }
  return copy;
}

// ---------------------------------------------------------------------------------------------------------
// Secrets inside strings: applied to every string of the object (spec, status, annotations, messages)

/**
 * A URL: scheme, authority, then path/query/fragment. The lookbehind stops a match from starting inside a
 * word, which keeps the scan linear on long strings; the excluded characters are those a URI cannot contain
 * unescaped, plus whitespace, so the match ends where the URL ends in a sentence or a JSON text.
 */
const URL_PATTERN =
  /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{0,31}):\/\/([^\s/?#"<>\\^`{|}]*)([^\s"<>\\^`{|}]*)/g;

/** Schemes where `user@` alone is a login name (ssh://git@github.com/...), not a token. */
const SSH_SCHEMES = new Set(['ssh', 'git+ssh', 'ssh+git', 'sftp']);

/**
 * Hosts whose URLs carry the webhook token in the path (Slack incoming webhooks, Teams workflows, Discord,
 * Google Chat, Lark, Zoom): the path goes wherever such a URL appears, whatever field it is in.
 */
const WEBHOOK_HOST =
  /^(?:hooks\.slack\.com|(?:[\w-]+\.)*webhook\.office\.com|(?:[\w-]+\.)*logic\.azure\.com|chat\.googleapis\.com|(?:ptb\.|canary\.)?discord(?:app)?\.com|open\.(?:larksuite|feishu)\.(?:com|cn)|integrations\.zoom\.us)$/i;

/** Query (or fragment) parameters that carry credentials: tokens, API keys, signed-URL signatures. */
const SECRET_PARAMETERS = new Set([
  'token',
  'access_token',
  'accesstoken',
  'auth',
  'auth_token',
  'private_token',
  'key',
  'api_key',
  'api-key',
  'apikey',
  'secret',
  'client_secret',
  'password',
  'passwd',
  'pwd',
  'sig',
  'signature',
  'x-amz-signature',
  'x-amz-credential',
  'x-amz-security-token',
  'x-goog-signature',
  'x-goog-credential',
]);

const URL_PARAMETER = /([?&;#])([^=&;#?/]*)=([^&;#]*)/g;

/**
 * Keys of connection strings (Azure Event Hub's `Endpoint=sb://...;SharedAccessKey=...`, storage accounts,
 * database DSNs): the notification-controller docs show the Event Hub one; it belongs in a Secret, but is one
 * paste away from `spec.address`.
 */
const CONNECTION_STRING_SECRET =
  /(?<![A-Za-z0-9])(SharedAccessKey|SharedAccessSignature|AccountKey|Password|Pwd)=([^;&\s"']+)/gi;

/**
 * Tokens with a recognisable prefix (GitHub, GitLab, Slack), wherever they stand: a token pasted into a ref, a
 * path or an annotation is as secret as one in a URL's userinfo.
 */
const KNOWN_TOKEN =
  /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{20,}|xox[abeprs]-[A-Za-z0-9-]{10,})/g;

/**
 * notification-controller's Receiver path, `/hook/` + sha256(token + name + namespace). Besides
 * `status.webhookPath` it stands in the Ready condition ("Receiver initialized for path: /hook/...").
 * Anyone who knows it can trigger reconciles.
 */
const RECEIVER_HOOK_PATH = /\/hook\/[0-9a-fA-F]{16,}/g;

function isSecretParameter(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // A malformed escape: judge the name as written.
  }
  return SECRET_PARAMETERS.has(decoded.toLowerCase());
}

function scrubUrl(scheme: string, authority: string, rest: string): string {
  let cleanAuthority = authority;
  const at = authority.lastIndexOf('@');
  if (at >= 0) {
    // The last '@' ends the userinfo: passwords with a raw '@' are common, hosts never contain one.
    const userinfo = authority.slice(0, at);
    const isLoginName =
      SSH_SCHEMES.has(scheme.toLowerCase()) && !userinfo.includes(':');
    if (userinfo !== '' && userinfo !== INLINE && !isLoginName) {
      cleanAuthority = `${INLINE}@${authority.slice(at + 1)}`;
    }
  }
  const host = authority
    .slice(at + 1)
    .replace(/:\d*$/, '')
    .toLowerCase();
  let cleanRest = rest;
  if (WEBHOOK_HOST.test(host) && rest !== '' && rest !== '/') {
    cleanRest = `/${INLINE}`;
  } else {
    cleanRest = rest.replace(
      URL_PARAMETER,
      (whole, separator: string, name: string, value: string) =>
        value !== '' && value !== INLINE && isSecretParameter(name)
          ? `${separator}${name}=${INLINE}`
          : whole,
    );
  }
  return `${scheme}://${cleanAuthority}${cleanRest}`;
}

/** The string with every inline credential cut out; the same string when there is none. */
export function scrubString(text: string): string {
  return text
    .replace(
      URL_PATTERN,
      (_whole, scheme: string, authority: string, rest: string) =>
        scrubUrl(scheme, authority, rest),
    )
    .replace(RECEIVER_HOOK_PATH, `/hook/${INLINE}`)
    .replace(CONNECTION_STRING_SECRET, (whole, name: string, value: string) =>
      value === INLINE ? whole : `${name}=${INLINE}`,
    )
    .replace(KNOWN_TOKEN, INLINE);
}

/** Scrubs every string of the tree in document order, recording each changed field once. */
function scrubAllStrings(root: JsonRecord, redacted: string[]) {
  type Frame = { holder: any; key: string; path: string };
  const stack: Frame[] = [];
  const pushChildren = (holder: Container, path: string) => {
    const inArray = Array.isArray(holder);
    const keys = Object.keys(holder);
    for (let i = keys.length - 1; i >= 0; i--) {
      stack.push({
        holder,
        key: keys[i],
        path: joinPath(path, keys[i], inArray),
      });
    }
  };
  pushChildren(root, '');
  while (stack.length > 0) {
    const { holder, key, path } = stack.pop()!;
    const value = holder[key];
    if (typeof value === 'string') {
      const scrubbed = scrubString(value);
      if (scrubbed !== value) {
        holder[key] = scrubbed;
        redacted.push(`${path} (credentials)`);
      }
    } else if (
      typeof value === 'object' &&
      value !== null &&
      !(value instanceof Date)
    ) {
      pushChildren(value as Container, path);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Inline kustomize patches

/**
 * kustomize matches a patch target's fields as anchored regular expressions (`kind: "Secret|ConfigMap"`
 * targets both), so a kind that is not a plain word is tried against "Secret". A pattern that does not compile
 * is taken to match: redacting a harmless patch costs little, storing a Secret's data does not.
 */
function kindSelectorMatchesSecret(kind: string): boolean {
  if (/^[A-Za-z0-9]+$/.test(kind)) return kind.toLowerCase() === 'secret';
  if (kind.length > 256) return true;
  try {
    return new RegExp(`^(?:${kind})$`, 'i').test('Secret');
  } catch {
    return true;
  }
}

/** `kind: Secret` in YAML (block or flow) or `"kind": "Secret"` in JSON; not SecretStore or the like. */
const DECLARES_SECRET = /\bkind["']?\s*:\s*["']?Secret\b(?![\w-])/;
const DECLARES_A_KIND = /\bkind["']?\s*:/;
/** A Secret's value fields, as top-level YAML keys, JSON keys or the start of a JSON 6902 path. */
const TOUCHES_SECRET_DATA =
  /^(?:stringData|data|binaryData)\s*:|"(?:stringData|data|binaryData)"\s*:|\bpath["']?\s*:\s*["']?\/(?:stringData|data|binaryData)\b/m;

function patchText(patch: unknown): string | undefined {
  if (typeof patch === 'string') return patch;
  try {
    return JSON.stringify(patch) ?? '';
  } catch {
    return undefined;
  }
}

function isSecretPatch(patch: unknown, target: unknown): boolean {
  const text = patchText(patch);
  if (text === undefined) return true;
  if (DECLARES_SECRET.test(text)) return true;
  const targetKind =
    isRecord(target) && typeof target.kind === 'string' && target.kind !== ''
      ? target.kind
      : undefined;
  if (targetKind !== undefined) return kindSelectorMatchesSecret(targetKind);
  // No kind in the target: kustomize patches whatever matches the name or labels, Secrets included. A patch
  // that declares no kind either and writes a Secret's data fields is taken to be aimed at one.
  return !DECLARES_A_KIND.test(text) && TOUCHES_SECRET_DATA.test(text);
}

type PatchStyle =
  /** `patches[]`: `{ patch: string, target?: Selector }` (Kustomization v1, HelmRelease v2 post-renderers). */
  | 'patch'
  /** `patchesStrategicMerge[]`: whole objects (Kustomization v1beta2, HelmRelease v2beta1/v2beta2). */
  | 'strategicMerge'
  /** `patchesJson6902[]`: `{ target: Selector, patch: [{ op, path, value }] }` (same versions). */
  | 'json6902';

/**
 * A patch that targets or declares a Secret carries the Secret's data (`stringData: {password: ...}`), which
 * Flux keeps in the object because kustomize applies it at build time. Its text goes; its target stays.
 */
function redactPatchList(
  holder: JsonRecord,
  field: string,
  path: string,
  style: PatchStyle,
  redacted: string[],
) {
  const list = holder[field];
  if (list === undefined || list === null) return;
  // The CRDs make these lists; a hostile non-list is judged as a single entry.
  const entries: { entry: unknown; path: string; set: (v: unknown) => void }[] =
    Array.isArray(list)
      ? list.map((entry, i) => ({
          entry,
          path: `${path}[${i}]`,
          set: (v: unknown) => {
            list[i] = v;
          },
        }))
      : [
          {
            entry: list,
            path,
            set: (v: unknown) => {
              holder[field] = v;
            },
          },
        ];
  for (const { entry, path: entryPath, set } of entries) {
    if (style !== 'strategicMerge' && isRecord(entry)) {
      if (entry.patch === undefined || entry.patch === REDACTED) continue;
      if (isSecretPatch(entry.patch, entry.target)) {
        entry.patch = REDACTED;
        redacted.push(`${entryPath}.patch`);
      }
    } else if (entry !== null && entry !== REDACTED) {
      if (isSecretPatch(entry, undefined)) {
        set(REDACTED);
        redacted.push(entryPath);
      }
    }
  }
}

function redactKustomizePatches(
  holder: unknown,
  path: string,
  redacted: string[],
) {
  if (!isRecord(holder)) return;
  redactPatchList(holder, 'patches', `${path}.patches`, 'patch', redacted);
  redactPatchList(
    holder,
    'patchesStrategicMerge',
    `${path}.patchesStrategicMerge`,
    'strategicMerge',
    redacted,
  );
  redactPatchList(
    holder,
    'patchesJson6902',
    `${path}.patchesJson6902`,
    'json6902',
    redacted,
  );
}

// ---------------------------------------------------------------------------------------------------------
// Rules per field

/**
 * `kubectl.kubernetes.io/last-applied-configuration` is the whole object as last applied by
 * `kubectl apply`: HelmRelease values, substitutions and patches included. Any kind.
 */
function redactLastApplied(object: JsonRecord, redacted: string[]) {
  const key = 'kubectl.kubernetes.io/last-applied-configuration';
  const metadata = object.metadata;
  if (!isRecord(metadata) || !isRecord(metadata.annotations)) return;
  const value = metadata.annotations[key];
  if (value === undefined || value === '' || value === REDACTED) return;
  metadata.annotations[key] = REDACTED;
  redacted.push(`metadata.annotations.${key}`);
}

/**
 * HelmRelease `spec.values` (https://fluxcd.io/flux/components/helm/helmreleases/#values) is free-form input
 * to the chart and routinely holds passwords and keys. Its top-level keys show what is configured and stay.
 */
function redactHelmValues(spec: JsonRecord, redacted: string[]) {
  const values = spec.values;
  if (values === undefined || values === null) return;
  if (isRecord(values)) {
    const keys = Object.keys(values);
    if (keys.length === 0) return;
    spec.values = Object.fromEntries(keys.map(key => [key, REDACTED]));
  } else {
    spec.values = REDACTED;
  }
  redacted.push('spec.values');
}

/**
 * HelmRelease post-renderers (https://fluxcd.io/flux/components/helm/helmreleases/#post-renderers) run
 * kustomize patches over the rendered chart: `spec.postRenderers[].kustomize.patches` (and v2beta1's
 * `patchesStrategicMerge` / `patchesJson6902`).
 */
function redactPostRenderers(spec: JsonRecord, redacted: string[]) {
  const renderers = spec.postRenderers;
  if (!Array.isArray(renderers)) return;
  renderers.forEach((renderer, i) => {
    if (!isRecord(renderer)) return;
    redactKustomizePatches(
      renderer.kustomize,
      `spec.postRenderers[${i}].kustomize`,
      redacted,
    );
  });
}

/**
 * Kustomization `spec.postBuild.substitute`
 * (https://fluxcd.io/flux/components/kustomize/kustomizations/#post-build-variable-substitution) holds the
 * values of `${VAR}` substitutions inline; they are often credentials. The variable names stay.
 */
function redactSubstitute(spec: JsonRecord, redacted: string[]) {
  const postBuild = spec.postBuild;
  if (!isRecord(postBuild)) return;
  const substitute = postBuild.substitute;
  if (substitute === undefined || substitute === null) return;
  if (isRecord(substitute)) {
    for (const key of Object.keys(substitute)) {
      substitute[key] = REDACTED;
      redacted.push(`spec.postBuild.substitute.${key}`);
    }
  } else {
    postBuild.substitute = REDACTED;
    redacted.push('spec.postBuild.substitute');
  }
}

/**
 * Receiver `status.webhookPath` (v1, v1beta2) and the older `status.url` (v1beta1) are the unguessable part of
 * the incoming webhook: anyone who knows them can trigger reconciles
 * (https://fluxcd.io/flux/components/notification/receivers/#webhook-path).
 */
function redactReceiverStatus(status: JsonRecord, redacted: string[]) {
  for (const field of ['webhookPath', 'url']) {
    const value = status[field];
    if (
      value === undefined ||
      value === null ||
      value === '' ||
      value === REDACTED
    )
      continue;
    status[field] = REDACTED;
    redacted.push(`status.${field}`);
  }
}

/**
 * Provider types whose `spec.address` holds nothing secret beyond what the string rules already cut
 * (userinfo, token query parameters), with the token in `spec.secretRef`
 * (https://fluxcd.io/flux/components/notification/providers/):
 * - git providers (commit status, dispatch, PR comments): the address is the repository URL;
 * - fixed or self-hosted API endpoints: datadog, opsgenie, pagerduty, grafana, alertmanager (basic auth goes
 *   in the userinfo, which is cut), matrix, zulip, otel, nats (server URL, credentials in userinfo), sentry
 *   (a DSN, whose key is the userinfo), telegram (address ignored);
 * - identifiers, not URLs: googlepubsub (GCP project ID), azureeventhub (Event Hub name; the connection string
 *   belongs in the Secret, and its keys are cut by the string rules if pasted here).
 * Every other type, including slack, discord, msteams, googlechat, rocket, lark, webex, zoom, incident.io,
 * generic, generic-hmac and types newer than this list, posts to a webhook URL whose path or query is the
 * credential: only its scheme and host are kept.
 */
const PROVIDERS_WITH_PLAIN_ADDRESS = new Set([
  'github',
  'gitlab',
  'gitea',
  'bitbucket',
  'bitbucketserver',
  'azuredevops',
  'githubdispatch',
  'githubpullrequestcomment',
  'gitlabmergerequestcomment',
  'giteapullrequestcomment',
  'datadog',
  'opsgenie',
  'pagerduty',
  'grafana',
  'alertmanager',
  'matrix',
  'zulip',
  'otel',
  'nats',
  'sentry',
  'telegram',
  'googlepubsub',
  'azureeventhub',
]);

function keepSchemeAndHost(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return REDACTED;
  }
  if (url.host === '') return REDACTED;
  const hasMore =
    (url.pathname !== '' && url.pathname !== '/') ||
    url.search !== '' ||
    url.hash !== '' ||
    url.username !== '' ||
    url.password !== '';
  return hasMore ? `${url.protocol}//${url.host}/${INLINE}` : address;
}

function redactProviderSpec(spec: JsonRecord, redacted: string[]) {
  const type = typeof spec.type === 'string' ? spec.type.toLowerCase() : '';
  const address = spec.address;
  if (typeof address === 'string') {
    if (address !== '' && !PROVIDERS_WITH_PLAIN_ADDRESS.has(type)) {
      const kept = keepSchemeAndHost(address);
      if (kept !== address) {
        spec.address = kept;
        redacted.push('spec.address');
      }
    }
  } else if (address !== undefined && address !== null) {
    spec.address = REDACTED;
    redacted.push('spec.address');
  }
  // PagerDuty's channel is the integration (routing) key: with it anyone can open incidents on the service.
  if (
    type === 'pagerduty' &&
    spec.channel !== undefined &&
    spec.channel !== '' &&
    spec.channel !== REDACTED
  ) {
    spec.channel = REDACTED;
    redacted.push('spec.channel');
  }
}

/**
 * ImageUpdateAutomation `spec.git.push.options` are git push options
 * (https://fluxcd.io/flux/components/image/imageupdateautomations/#push-options); GitLab's `ci.variable`
 * (and `ci.input`) pass values into the pipeline, CI credentials included. Other options (merge_request.*) stay.
 */
function redactPushOptions(spec: JsonRecord, redacted: string[]) {
  const git = spec.git;
  if (!isRecord(git) || !isRecord(git.push) || !isRecord(git.push.options)) {
    return;
  }
  const options = git.push.options;
  for (const key of Object.keys(options)) {
    if (!/^ci\.(?:variable|input)\b/i.test(key)) continue;
    if (options[key] === '' || options[key] === REDACTED) continue;
    options[key] = REDACTED;
    redacted.push(`spec.git.push.options.${key}`);
  }
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Returns a copy of a Flux object with its inline secrets replaced, and where they were. Never changes its
 * input and never throws on odd shapes: a field that is not what the CRD says is skipped or replaced whole.
 */
export function redactFluxObject(
  obj: KubernetesObject,
  options: RedactionOptions = {},
): RedactedObject {
  const redacted: string[] = [];
  const structural: string[] = [];
  if (!isRecord(obj)) return { object: {}, redacted: [] };
  const copy = copyBounded(obj as JsonRecord, structural);

  const kind =
    typeof copy.kind === 'string' && copy.kind !== ''
      ? copy.kind
      : options.kind;
  const applies = (name: string) => kind === undefined || kind === name;
  const spec = isRecord(copy.spec) ? copy.spec : undefined;
  const status = isRecord(copy.status) ? copy.status : undefined;

  redactLastApplied(copy, redacted);
  if (spec && applies('HelmRelease')) {
    if (!options.keepHelmValues) redactHelmValues(spec, redacted);
    redactPostRenderers(spec, redacted);
  }
  if (spec && applies('Kustomization')) {
    redactSubstitute(spec, redacted);
    redactKustomizePatches(spec, 'spec', redacted);
  }
  if (status && applies('Receiver')) redactReceiverStatus(status, redacted);
  if (spec && applies('Provider')) redactProviderSpec(spec, redacted);
  if (spec && applies('ImageUpdateAutomation')) {
    redactPushOptions(spec, redacted);
  }
  // Userinfo and tokens can stand in any string: spec.url of the sources, a Provider's proxy, and the
  // controllers' condition messages, which quote the URL they failed on.
  scrubAllStrings(copy, redacted);

  return {
    object: copy as KubernetesObject,
    redacted: [...redacted, ...structural],
  };
}
