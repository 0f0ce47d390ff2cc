import type {
  Configuration,
  CoreV1Event,
  SecurityAuthentication,
} from '@kubernetes/client-node';
import { scrubString } from '../status/redactFluxObject';
import {
  FLUX_KINDS,
  FluxKind,
  FluxEvent,
  FluxKindDefinition,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { KubernetesObject } from '../status/parseFluxObject';
import { NetworkPolicy } from '../clusters/clusterPolicy';
import { ClusterConnection } from './ClusterConnection';
import {
  ClusterTransportError,
  createClusterTransport,
} from './clusterTransport';
import { createAuthentication } from './createAuthentication';
import { toIsoTimestamp } from '../toIsoTimestamp';
import { ClientNode, loadClientNode } from './loadClientNode';

/** Objects per list page; large fleets page through with `continue` instead of one huge response. */
const LIST_PAGE_SIZE = 500;

export interface ClusterVersionInfo {
  kubernetesVersion: string;
  /** The Flux distribution version, from the flux-system namespace or the Flux CRDs' labels. */
  fluxVersion?: string;
}

/**
 * Talks to one cluster through client-node's generated APIs. Every call takes an AbortSignal so a sync's
 * deadline really stops the sockets of a cluster that does not answer.
 */
export class FluxClusterClient {
  /**
   * The one way to a client: a cluster's allow-listed connection, whatever source it came from. client-node's
   * generated APIs run on our transport (see createClusterTransport); no KubeConfig is loaded from text.
   */
  static async create(
    connection: ClusterConnection,
    network: NetworkPolicy,
  ): Promise<FluxClusterClient> {
    const k8s = await loadClientNode();
    const authentication = await createAuthentication(k8s, connection);
    const transport = createClusterTransport(k8s, connection, network);
    const configuration = k8s.createConfiguration({
      baseServer: new k8s.ServerConfiguration(connection.server, {}),
      authMethods: { default: authentication },
      httpApi: transport,
    });
    return new FluxClusterClient(configuration, k8s, {
      server: connection.server,
      authentication,
      transport,
    });
  }

  private constructor(
    private readonly configuration: Configuration,
    private readonly k8s: ClientNode,
    /** What a watch needs beside the generated APIs: it streams, so it goes to the transport directly. */
    private readonly streaming: {
      server: string;
      authentication: SecurityAuthentication;
      transport: ReturnType<typeof createClusterTransport>;
    },
  ) {}

  /** Closes the client's connections: for a client that is replaced, its cluster's connection having changed. */
  close() {
    this.streaming.transport.close();
  }

  private api<T>(Api: new (configuration: Configuration) => T): T {
    return new Api(this.configuration);
  }

  private options(signal?: AbortSignal, contentType?: string) {
    if (!signal && !contentType) return undefined;
    const { Observable } = this.k8s;
    return {
      middleware: [
        {
          pre: (context: any) => {
            if (signal) context.setSignal(signal);
            if (contentType)
              context.setHeaderParam('Content-Type', contentType);
            return new Observable(Promise.resolve(context));
          },
          post: (context: any) => new Observable(Promise.resolve(context)),
        },
      ],
      middlewareMergeStrategy: 'append' as const,
    };
  }

  /**
   * The Kubernetes version; also the connection check, so it insists on the answer of a Kubernetes API server
   * (a version object), not merely a 200.
   */
  async getVersion(signal?: AbortSignal): Promise<string> {
    const api = this.api(this.k8s.VersionApi);
    const info = (await api.getCode(
      this.options(signal) as any,
    )) as unknown as Record<string, unknown>;
    const gitVersion = info?.gitVersion;
    if (
      typeof gitVersion !== 'string' ||
      !/^v?\d+\.\d+/.test(gitVersion) ||
      typeof info.major !== 'string'
    ) {
      throw new ClusterTransportError(
        'the server answered /version without a Kubernetes version; it is not a Kubernetes API server',
      );
    }
    return gitVersion;
  }

  /**
   * Which version of each Flux kind the cluster serves: the newest of the kind table's versions whose
   * group-version lists the kind's plural. Group-level discovery is not enough, since a group can serve v1
   * for some kinds and only v1beta2 for others (OCIRepository went v1 after GitRepository did).
   */
  async discoverServedVersions(
    signal?: AbortSignal,
  ): Promise<Partial<Record<FluxKind, string>>> {
    const apis = this.api(this.k8s.ApisApi);
    const groupList = await apis.getAPIVersions(this.options(signal) as any);
    const wanted = new Set(FLUX_KINDS.map(k => k.group));
    const groupVersions = groupList.groups
      .filter(g => wanted.has(g.name))
      .flatMap(g =>
        g.versions.map(v => ({ group: g.name, version: v.version })),
      );
    const custom = this.api(this.k8s.CustomObjectsApi);
    const resources = await Promise.all(
      groupVersions.map(async gv => {
        const list = await custom.getAPIResources(
          gv,
          this.options(signal) as any,
        );
        return { ...gv, plurals: new Set(list.resources.map(r => r.name)) };
      }),
    );
    const served: Partial<Record<FluxKind, string>> = {};
    for (const def of FLUX_KINDS) {
      const version = def.versions.find(v =>
        resources.some(
          r =>
            r.group === def.group &&
            r.version === v &&
            r.plurals.has(def.plural),
        ),
      );
      if (version) served[def.kind] = version;
    }
    return served;
  }

  /**
   * Every object of one kind in all namespaces, page by page, with the list's resourceVersion: a watch from
   * it misses nothing that changed after the list.
   */
  async listKind(
    def: FluxKindDefinition,
    version: string,
    signal?: AbortSignal,
  ): Promise<{ items: KubernetesObject[]; resourceVersion: string }> {
    const api = this.api(this.k8s.CustomObjectsApi);
    const items: KubernetesObject[] = [];
    let continueToken: string | undefined;
    let resourceVersion = '';
    do {
      const page = (await api.listClusterCustomObject(
        {
          group: def.group,
          version,
          plural: def.plural,
          limit: LIST_PAGE_SIZE,
          _continue: continueToken,
        },
        this.options(signal) as any,
      )) as {
        items?: KubernetesObject[];
        metadata?: {
          _continue?: string;
          continue?: string;
          resourceVersion?: string;
        };
      };
      if (!Array.isArray(page?.items)) {
        throw new SyntaxError(
          `list ${def.plural}.${def.group}/${version} returned no items array`,
        );
      }
      for (const item of page.items) {
        // Custom resource lists carry apiVersion and kind per item; the defaults cover a server that omits them.
        items.push({
          apiVersion: `${def.group}/${version}`,
          kind: def.kind,
          ...item,
        });
      }
      continueToken = page.metadata?.continue ?? page.metadata?._continue;
      // Every page of a paged list is served from the snapshot of the first; each carries its version.
      if (typeof page.metadata?.resourceVersion === 'string')
        resourceVersion = page.metadata.resourceVersion;
    } while (continueToken);
    return { items, resourceVersion };
  }

  /**
   * Watches one kind in all namespaces from `resourceVersion`, with bookmarks, handing each event to `onEvent`
   * in order, until the server ends the stream (after `timeoutSeconds`), the signal aborts it, or it breaks.
   * Refused watches throw with the status (410 when the version is too old to resume from).
   */
  async watchKind(
    def: FluxKindDefinition,
    version: string,
    resourceVersion: string,
    onEvent: (event: WatchEvent) => Promise<void>,
    options: {
      signal?: AbortSignal;
      timeoutSeconds?: number;
      onOpen?: () => void;
    } = {},
  ): Promise<void> {
    await this.watchPath(
      `/apis/${def.group}/${version}/${def.plural}`,
      {},
      resourceVersion,
      raw => onEvent(toWatchEvent(raw, def, version)),
      options,
    );
  }

  /**
   * The Kubernetes Events about objects of one Flux kind, in all namespaces, with the list's resourceVersion.
   * Messages are scrubbed of inline credentials, as everything that reaches a reader or the database is.
   */
  async listKindEvents(
    def: FluxKindDefinition,
    signal?: AbortSignal,
  ): Promise<{ items: KindEvent[]; resourceVersion: string }> {
    const core = this.api(this.k8s.CoreV1Api);
    const list = await core.listEventForAllNamespaces(
      { fieldSelector: `involvedObject.kind=${def.kind}`, limit: 1000 },
      this.options(signal) as any,
    );
    return {
      items: list.items
        .map(event => toKindEvent(event, def))
        .filter((e): e is KindEvent => e !== undefined),
      resourceVersion: list.metadata?.resourceVersion ?? '',
    };
  }

  /** Watches the Events about objects of one Flux kind from `resourceVersion`, as watchKind does its objects. */
  async watchKindEvents(
    def: FluxKindDefinition,
    resourceVersion: string,
    onEvent: (event: {
      type: string;
      event?: KindEvent;
      resourceVersion?: string;
      code?: number;
      message?: string;
    }) => Promise<void>,
    options: {
      signal?: AbortSignal;
      timeoutSeconds?: number;
      onOpen?: () => void;
    } = {},
  ): Promise<void> {
    await this.watchPath(
      '/api/v1/events',
      { fieldSelector: `involvedObject.kind=${def.kind}` },
      resourceVersion,
      raw => {
        const { type, object } = (raw ?? {}) as {
          type?: unknown;
          object?: Record<string, any>;
        };
        if (typeof type !== 'string' || !object || typeof object !== 'object') {
          throw new ClusterTransportError(
            'the watch stream held an event that is not a Kubernetes watch event',
          );
        }
        if (type === 'ERROR') {
          return onEvent({
            type,
            code: typeof object.code === 'number' ? object.code : undefined,
            message:
              typeof object.message === 'string' ? object.message : undefined,
          });
        }
        const version =
          typeof object.metadata?.resourceVersion === 'string'
            ? object.metadata.resourceVersion
            : undefined;
        return onEvent({
          type,
          event:
            type === 'BOOKMARK' ? undefined : toKindEvent(object as any, def),
          resourceVersion: version,
        });
      },
      options,
    );
  }

  private async watchPath(
    path: string,
    query: Record<string, string>,
    resourceVersion: string,
    onEvent: (raw: unknown) => Promise<void>,
    options: {
      signal?: AbortSignal;
      timeoutSeconds?: number;
      onOpen?: () => void;
    },
  ) {
    const { server, authentication, transport } = this.streaming;
    const url = new URL(`${server.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query))
      url.searchParams.set(key, value);
    url.searchParams.set('watch', 'true');
    url.searchParams.set('allowWatchBookmarks', 'true');
    url.searchParams.set('resourceVersion', resourceVersion);
    url.searchParams.set(
      'timeoutSeconds',
      String(options.timeoutSeconds ?? 300),
    );
    const context = new this.k8s.RequestContext(
      url.toString(),
      this.k8s.HttpMethod.GET,
    );
    context.setHeaderParam('Accept', 'application/json');
    if (options.signal) context.setSignal(options.signal);
    await authentication.applySecurityAuthentication(context);
    await transport.stream(context, onEvent, options.onOpen);
  }

  /**
   * The Flux version, as `flux install` labels it: `app.kubernetes.io/version` on the flux-system namespace,
   * else on the Kustomization CRD. Either may be forbidden to a narrow service account; then it is unknown.
   */
  async getFluxVersion(signal?: AbortSignal): Promise<string | undefined> {
    const core = this.api(this.k8s.CoreV1Api);
    try {
      const ns = await core.readNamespace(
        { name: 'flux-system' },
        this.options(signal) as any,
      );
      const version = ns.metadata?.labels?.['app.kubernetes.io/version'];
      if (version) return version;
    } catch (error) {
      if (signal?.aborted) throw error;
    }
    const ext = this.api(this.k8s.ApiextensionsV1Api);
    try {
      const crd = await ext.readCustomResourceDefinition(
        { name: 'kustomizations.kustomize.toolkit.fluxcd.io' },
        this.options(signal) as any,
      );
      return crd.metadata?.labels?.['app.kubernetes.io/version'];
    } catch (error) {
      if (signal?.aborted) throw error;
      return undefined;
    }
  }

  /** One object, as the cluster has it now. */
  async getObject(
    target: ObjectTarget,
    signal?: AbortSignal,
  ): Promise<KubernetesObject> {
    const api = this.api(this.k8s.CustomObjectsApi);
    const obj = (await api.getNamespacedCustomObject(
      {
        group: target.definition.group,
        version: target.version,
        namespace: target.namespace,
        plural: target.definition.plural,
        name: target.name,
      },
      this.options(signal) as any,
    )) as KubernetesObject;
    return {
      apiVersion: `${target.definition.group}/${target.version}`,
      kind: target.definition.kind,
      ...obj,
    };
  }

  /**
   * A JSON merge patch (RFC 7386), as `flux reconcile` and `flux suspend` send: it sets only the keys given and
   * needs no resourceVersion, so it never conflicts with the controller writing the status.
   */
  async mergePatch(
    target: ObjectTarget,
    patch: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<KubernetesObject> {
    const api = this.api(this.k8s.CustomObjectsApi);
    const obj = (await api.patchNamespacedCustomObject(
      {
        group: target.definition.group,
        version: target.version,
        namespace: target.namespace,
        plural: target.definition.plural,
        name: target.name,
        body: patch,
        fieldManager: 'flux-orchestrator',
      },
      this.options(signal, this.k8s.PatchStrategy.MergePatch) as any,
    )) as KubernetesObject;
    return {
      apiVersion: `${target.definition.group}/${target.version}`,
      kind: target.definition.kind,
      ...obj,
    };
  }

  /** The core/v1 Events whose involvedObject is this object, newest first. */
  async listEvents(
    target: ObjectTarget,
    signal?: AbortSignal,
  ): Promise<FluxEvent[]> {
    const core = this.api(this.k8s.CoreV1Api);
    const list = await core.listNamespacedEvent(
      {
        namespace: target.namespace,
        fieldSelector: `involvedObject.kind=${target.definition.kind},involvedObject.name=${target.name}`,
      },
      this.options(signal) as any,
    );
    return list.items
      .map(toFluxEvent)
      .sort((a, b) => (b.lastSeen ?? '').localeCompare(a.lastSeen ?? ''));
  }
}

/** One event of a watch, checked for its shape: https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes */
export type WatchEvent =
  | {
      type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';
      object: KubernetesObject;
    }
  | { type: 'ERROR'; object: { code?: number; message?: string } };

const WATCH_EVENT_TYPES = new Set([
  'ADDED',
  'MODIFIED',
  'DELETED',
  'BOOKMARK',
  'ERROR',
]);

function toWatchEvent(
  raw: unknown,
  def: FluxKindDefinition,
  version: string,
): WatchEvent {
  const event = raw as { type?: unknown; object?: unknown };
  if (
    !event ||
    typeof event.type !== 'string' ||
    !WATCH_EVENT_TYPES.has(event.type) ||
    !event.object ||
    typeof event.object !== 'object'
  ) {
    throw new ClusterTransportError(
      'the watch stream held an event that is not a Kubernetes watch event',
    );
  }
  if (event.type === 'ERROR') {
    const status = event.object as { code?: unknown; message?: unknown };
    return {
      type: 'ERROR',
      object: {
        code: typeof status.code === 'number' ? status.code : undefined,
        message:
          typeof status.message === 'string' ? status.message : undefined,
      },
    };
  }
  // As in lists, each object carries apiVersion and kind; the defaults cover a server that omits them.
  return {
    type: event.type as 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK',
    object: {
      apiVersion: `${def.group}/${version}`,
      kind: def.kind,
      ...(event.object as KubernetesObject),
    },
  };
}

/** A Kubernetes Event about a Flux object, as stored and shown: its message scrubbed of inline credentials. */
function toFluxEvent(event: CoreV1Event): FluxEvent {
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    message: scrubString(event.message ?? ''),
    count: event.count ?? event.series?.count ?? 1,
    firstSeen: toIsoTimestamp(event.firstTimestamp ?? event.eventTime),
    lastSeen: toIsoTimestamp(
      event.lastTimestamp ??
        event.series?.lastObservedTime ??
        event.eventTime ??
        event.firstTimestamp,
    ),
    source: event.source?.component ?? event.reportingComponent ?? undefined,
  };
}

/** An Event of a watched cluster, with what identifies it and the Flux object it is about. */
export interface KindEvent extends FluxEvent {
  uid: string;
  namespace: string;
  name: string;
  /** The uid of the object the Event is about, when the Event says. */
  objectUid?: string;
}

/**
 * The Event as a KindEvent when it is about an object of `def`'s kind in `def`'s API group (another project's
 * kind may share the name, Crossplane's Provider for one); undefined otherwise.
 */
function toKindEvent(
  event: CoreV1Event,
  def: FluxKindDefinition,
): KindEvent | undefined {
  const involved = event.involvedObject;
  const group = involved?.apiVersion?.split('/')[0];
  if (
    !involved ||
    involved.kind !== def.kind ||
    group !== def.group ||
    !involved.name ||
    !event.metadata?.uid
  )
    return undefined;
  return {
    ...toFluxEvent(event),
    uid: event.metadata.uid,
    namespace: involved.namespace ?? event.metadata.namespace ?? '',
    name: involved.name,
    objectUid: involved.uid || undefined,
  };
}

/** Which object a call is about: its kind, the version the cluster serves it at, and where it is. */
export interface ObjectTarget {
  definition: FluxKindDefinition;
  version: string;
  namespace: string;
  name: string;
}
