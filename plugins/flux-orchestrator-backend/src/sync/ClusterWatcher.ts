import { LoggerService } from '@backstage/backend-plugin-api';
import os from 'os';
import {
  FLUX_KINDS,
  FluxKindDefinition,
} from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { ClusterRegistry } from '../clusters/ClusterRegistry';
import { FluxStore } from '../database/FluxStore';
import { describeClusterError } from '../kubernetes/describeClusterError';
import { FluxClusterClient, WatchEvent } from '../kubernetes/FluxClusterClient';
import { parseFluxObject } from '../status/parseFluxObject';
import { RedactionOptions } from '../status/redactFluxObject';
import { FluxMetrics } from './fluxMetrics';
import { writeListedKind } from './writeListedKind';
import { createLimiter } from './createLimiter';

export interface ClusterWatcherOptions {
  store: FluxStore;
  registry: ClusterRegistry;
  logger: LoggerService;
  /** What to redact of a cluster's objects beyond the defaults (`fluxOrchestrator.secrets`). */
  redactionFor?: (cluster: string) => RedactionOptions;
  /**
   * Told of the Kubernetes uids of the objects a change touched; none after a relist (or for an object without
   * a uid), when any object of the cluster may have changed.
   */
  onChange?: (cluster: string, uids?: string[]) => void;
  /** Told when a cluster answers again after it could not be reached, e.g. to check its health in full. */
  onReconnected?: (cluster: string) => void;
  /** Waits between reconnects: doubled from `initialMs` up to `maxMs`, with up to half of it added at random. */
  backoff?: { initialMs: number; maxMs: number };
  /**
   * How long one watch request stays open at most before the server ends it and it is renewed (300 s); never
   * past the lease, so that the server's bookmark before its timeout keeps the position fresh.
   */
  watchTimeoutSeconds?: number;
  /** How long past the end of a lease the feed still counts as live, covering the gap to the next lease. */
  feedGraceMs?: number;
  /** This replica, as the feed names it (default host:pid). */
  replica?: string;
  /**
   * Deadline of one list (a kind's objects or its Events, every page); past it the list is abandoned and tried
   * again after a pause, as a broken stream is (default 60 s, `sync.clusterTimeout`).
   */
  listTimeoutMs?: number;
  metrics?: Pick<FluxMetrics, 'watchEvent' | 'watchReconnect' | 'watchApplied'>;
}

/**
 * Lists one cluster runs at once. A replica that starts, or a fleet whose positions all expired, would otherwise
 * list every kind of every cluster at once (1,300 lists holding 1.3 GB at 100 clusters); the limit is per
 * cluster so that a slow cluster only ever waits for itself.
 */
const LISTS_PER_CLUSTER = 2;

/**
 * A stream opened with less of the lease left than this is not opened: the API server sends its bookmark 2 s
 * before the timeout it is given, and a shorter stream would end (or be cut by the lease) without one.
 */
const MIN_LEASED_STREAM_MS = 5000;

/** A stream shorter than this did not really watch; the next one waits first. */
const MIN_STREAM_MS = 1000;

/** The server said the position is too old to resume from (compacted): list again. */
class PositionGone extends Error {
  name = 'PositionGone';
}

/**
 * What an ERROR event of a watch means: the position is gone (410, list again), or a failure with the Status
 * the server sent, shaped so that describeClusterError keeps only its redacted message.
 */
function watchError(
  code: number | undefined,
  message: string | undefined,
): Error {
  if (code === 410) return new PositionGone();
  return Object.assign(new Error('the watch reported an error'), {
    code: code ?? 500,
    body: JSON.stringify({ kind: 'Status', message: message ?? '' }),
  });
}

/** Runs one list of a cluster when its turn comes, with a signal that also ends at the list's deadline. */
type ListRunner = (
  list: (signal: AbortSignal) => Promise<string>,
  signal: AbortSignal,
) => Promise<string>;

/**
 * Resolves when the signal aborts, or after `ms` at the latest; either way its listener goes, so that the pauses
 * of a lease's 26 streams do not pile listeners onto the lease's signal.
 */
function untilAborted(signal: AbortSignal, ms: number): Promise<void> {
  return new Promise(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const pending: { timer?: ReturnType<typeof setTimeout> } = {};
    const done = () => {
      clearTimeout(pending.timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    pending.timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A served kind of one cluster, at the version the cluster serves. */
interface KindWatch {
  def: FluxKindDefinition;
  version: string;
}

/** One stream a lease follows: the objects of a kind, or the Events about them. */
interface Follower {
  /** Its key among the cluster's watch positions and feed parts: the kind, or `events:<kind>`. */
  key: string;
  /** What it follows, for log lines: `kustomizations`, `events of kustomizations`. */
  what: string;
  position?: string;
  /** Lists what it follows and makes the store match; answers the position to watch from. */
  relist(signal: AbortSignal): Promise<string>;
  /**
   * Watches from `position` until the stream ends (the server ends it after `timeoutSeconds`); PositionGone
   * when the server no longer has it.
   */
  watch(
    position: string,
    signal: AbortSignal,
    onOpen: () => void,
    timeoutSeconds: number,
  ): Promise<void>;
}

/** Waits that double from `initialMs` up to `maxMs`, each with up to half of it added at random. */
class Backoff {
  private waitMs: number;

  constructor(private readonly limits: { initialMs: number; maxMs: number }) {
    this.waitMs = limits.initialMs;
  }

  reset() {
    this.waitMs = this.limits.initialMs;
  }

  /** Waits the current pause (or until the signal aborts), and doubles the next. */
  pause(signal: AbortSignal): Promise<void> {
    const ms = this.waitMs + Math.floor(Math.random() * (this.waitMs / 2));
    this.waitMs = Math.min(this.waitMs * 2, this.limits.maxMs);
    return untilAborted(signal, ms);
  }
}

/**
 * How a cluster's data arrives, as the watches of its kinds go: live once every stream has opened and while none
 * is failing, reconnecting since the first failure otherwise. Written only when it changes; until every stream
 * has opened once (listed and watching) the stored feed stays what it was, so that "live" is never said of data
 * still being listed.
 */
class FeedState {
  private readonly failing = new Set<string>();
  private readonly opening = new Set<string>();
  private since?: string;
  private written?: string;
  /** Writes one after another, so that the kinds' watches, failing and recovering at once, end in the last state. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: FluxStore,
    private readonly cluster: string,
    private readonly until: Date,
    private readonly replica: string,
  ) {}

  isFailing(part: string): boolean {
    return this.failing.has(part);
  }

  /** The streams that must open before the data is live. */
  expect(parts: string[]) {
    parts.forEach(part => this.opening.add(part));
  }

  async failed(part: string) {
    if (!this.failing.size) this.since = new Date().toISOString();
    this.failing.add(part);
    await this.write();
  }

  async recovered(part: string) {
    this.failing.delete(part);
    this.opening.delete(part);
    await this.write();
  }

  private write(): Promise<void> {
    this.writing = this.writing
      .catch(() => undefined)
      .then(async () => {
        if (!this.failing.size && this.opening.size) return;
        const feed = this.failing.size
          ? {
              mode: 'reconnecting' as const,
              since: this.since,
              watchedBy: this.replica,
            }
          : { mode: 'live' as const, watchedBy: this.replica };
        const key = `${feed.mode}:${
          feed.mode === 'reconnecting' ? feed.since : ''
        }`;
        if (key === this.written) return;
        await this.store.setClusterFeed(this.cluster, feed, this.until);
        this.written = key;
      });
    return this.writing;
  }
}

/**
 * Keeps a cluster's stored objects live for the length of a lease: per served Flux kind, resume the watch from
 * the stored position (list first when there is none, or when the server says it is gone: 410), apply each
 * event through the store with its position, and reconnect with backoff and jitter when a stream breaks. The
 * cluster's feed says whether its data is live or reconnecting (and since when).
 *
 * https://kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes
 */
export class ClusterWatcher {
  private readonly backoff: { initialMs: number; maxMs: number };

  constructor(private readonly options: ClusterWatcherOptions) {
    this.backoff = options.backoff ?? { initialMs: 1000, maxMs: 60_000 };
  }

  /** Watches the cluster until `lease.signal` aborts; `lease.until` is when the lease ends at the latest. */
  async watch(
    name: string,
    lease: { signal: AbortSignal; until: Date },
  ): Promise<void> {
    const { signal } = lease;
    const feed = new FeedState(
      this.options.store,
      name,
      new Date(lease.until.getTime() + (this.options.feedGraceMs ?? 30_000)),
      this.options.replica ?? `${os.hostname()}:${process.pid}`,
    );
    const backoff = new Backoff(this.backoff);
    while (!signal.aborted) {
      let kinds: KindWatch[];
      let client: FluxClusterClient;
      let positions: Partial<Record<string, string>>;
      try {
        client = await this.options.registry.getClient(name);
        const served = await client.discoverServedVersions(signal);
        positions = await this.options.store.getWatchPositions(name);
        kinds = FLUX_KINDS.filter(def => served[def.kind]).map(def => ({
          def,
          version: served[def.kind]!,
        }));
      } catch (error) {
        if (signal.aborted) break;
        const reason = describeClusterError(error);
        // The cluster's health says why it cannot be watched; the rest of what the last check found stays.
        await Promise.all([
          feed.failed('discovery'),
          this.options.store.markClusterUnhealthy(name, reason),
        ]);
        this.options.logger.warn(
          `Watch of cluster "${name}": ${reason}; retrying`,
        );
        await backoff.pause(signal);
        continue;
      }
      backoff.reset();
      if (feed.isFailing('discovery')) this.options.onReconnected?.(name);
      const lists = this.listsOf(createLimiter(LISTS_PER_CLUSTER));
      const followers = kinds.flatMap(kind => [
        this.objectsOf(name, client, kind, positions, lists),
        this.eventsOf(name, client, kind, positions, lists),
      ]);
      feed.expect(followers.map(follower => follower.key));
      await feed.recovered('discovery');
      await Promise.all(
        followers.map(follower => this.follow(name, follower, feed, lease)),
      );
    }
  }

  /** Runs a cluster's lists through its limit, each with its own deadline (and the lease's). */
  private listsOf(limit: ReturnType<typeof createLimiter>): ListRunner {
    const timeoutMs = this.options.listTimeoutMs ?? 60_000;
    return (list, signal) =>
      limit(async () => {
        signal.throwIfAborted();
        return list(AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
      });
  }

  /** The objects of a kind, as a stream to follow. */
  private objectsOf(
    name: string,
    client: FluxClusterClient,
    kind: KindWatch,
    positions: Partial<Record<string, string>>,
    lists: ListRunner,
  ): Follower {
    const follower: Follower = {
      key: kind.def.kind,
      what: kind.def.plural,
      position: positions[kind.def.kind],
      relist: signal =>
        lists(
          listSignal => this.relist(name, client, kind, listSignal),
          signal,
        ),
      watch: (position, signal, onOpen, timeoutSeconds) =>
        client.watchKind(
          kind.def,
          kind.version,
          position,
          async event => {
            follower.position =
              (await this.apply(name, kind, event)) ?? follower.position;
          },
          { signal, timeoutSeconds, onOpen },
        ),
    };
    return follower;
  }

  /** The Kubernetes Events about the objects of a kind, as a stream to follow. */
  private eventsOf(
    name: string,
    client: FluxClusterClient,
    kind: KindWatch,
    positions: Partial<Record<string, string>>,
    lists: ListRunner,
  ): Follower {
    const { store } = this.options;
    const key = `events:${kind.def.kind}`;
    const follower: Follower = {
      key,
      what: `events of ${kind.def.plural}`,
      position: positions[key],
      relist: signal =>
        lists(async listSignal => {
          const list = await client.listKindEvents(kind.def, listSignal);
          await store.replaceKindEvents(name, kind.def.kind, list.items);
          await store.setWatchPosition(name, {
            kind: key,
            resourceVersion: list.resourceVersion,
          });
          this.options.onChange?.(name);
          return list.resourceVersion;
        }, signal),
      watch: (position, signal, onOpen, timeoutSeconds) =>
        client.watchKindEvents(
          kind.def,
          position,
          async ({ type, event, resourceVersion, code, message }) => {
            this.options.metrics?.watchEvent(name, 'Event', type);
            if (type === 'ERROR') throw watchError(code, message);
            if (!resourceVersion) return;
            const at = { kind: key, resourceVersion };
            if (event && type !== 'BOOKMARK') {
              const change =
                type === 'DELETED'
                  ? { type: 'delete' as const, uid: event.uid }
                  : { type: 'upsert' as const, event };
              await store.applyEventChange(name, kind.def.kind, change, at);
              this.options.onChange?.(
                name,
                event.objectUid ? [event.objectUid] : undefined,
              );
            } else {
              await store.setWatchPosition(name, at);
            }
            follower.position = resourceVersion;
          },
          { signal, timeoutSeconds, onOpen },
        ),
    };
    return follower;
  }

  /** Lists (when needed) and watches one stream until the lease ends, reconnecting as long as it lasts. */
  private async follow(
    name: string,
    follower: Follower,
    feed: FeedState,
    lease: { signal: AbortSignal; until: Date },
  ) {
    const { signal } = lease;
    const { logger } = this.options;
    const backoff = new Backoff(this.backoff);
    const onOpen = () => {
      backoff.reset();
      feed
        .recovered(follower.key)
        .catch(error =>
          logger.debug(`Could not record the feed of "${name}": ${error}`),
        );
    };
    let lastGone = 0;
    while (!signal.aborted) {
      try {
        if (!follower.position)
          follower.position = await follower.relist(signal);
        // The server ends the stream just before the lease does, after a bookmark with its latest position: the
        // next lease resumes from there. A stream cut by the lease instead would keep the position of its last
        // change, which on a quiet kind soon leaves the server's watch cache: a 410 and a relist every lease.
        const leaseLeftMs = lease.until.getTime() - Date.now();
        if (leaseLeftMs < MIN_LEASED_STREAM_MS) {
          await untilAborted(signal, Math.max(leaseLeftMs, MIN_STREAM_MS));
          continue;
        }
        const timeoutSeconds = Math.min(
          this.options.watchTimeoutSeconds ?? 300,
          Math.floor(leaseLeftMs / 1000) - 1,
        );
        const opened = Date.now();
        await follower.watch(follower.position, signal, onOpen, timeoutSeconds);
        // The server ended the stream (its timeout): renew it from where it got to. One that ends at once
        // (a proxy that does not stream, say) is renewed after a pause, not in a tight loop.
        if (Date.now() - opened < MIN_STREAM_MS) await backoff.pause(signal);
      } catch (error) {
        if (signal.aborted) return;
        if (
          error instanceof PositionGone ||
          (error as { code?: unknown }).code === 410
        ) {
          logger.info(
            `Watch of ${follower.what} on cluster "${name}" must list again: its position is gone (410)`,
          );
          follower.position = undefined;
          // Gone again right after a fresh list: a server that misbehaves is not listed in a tight loop.
          if (Date.now() - lastGone < 5 * MIN_STREAM_MS)
            await backoff.pause(signal);
          lastGone = Date.now();
          continue;
        }
        const reason = describeClusterError(error);
        this.options.metrics?.watchReconnect(name, follower.key);
        await feed.failed(follower.key);
        logger.warn(
          `Watch of ${follower.what} on cluster "${name}" broke: ${reason}; reconnecting`,
        );
        await backoff.pause(signal);
      }
    }
  }

  /** Lists a kind and makes the store match it; returns the list's resourceVersion to watch from. */
  private async relist(
    name: string,
    client: FluxClusterClient,
    kind: KindWatch,
    signal: AbortSignal,
  ): Promise<string> {
    const list = await client.listKind(kind.def, kind.version, signal);
    await writeListedKind(
      this.options.store,
      name,
      kind.def,
      list,
      this.options.redactionFor?.(name) ?? {},
      message =>
        this.options.logger.warn(`Relist of cluster "${name}" ${message}`),
    );
    await this.options.store.setWatchPosition(name, {
      kind: kind.def.kind,
      resourceVersion: list.resourceVersion,
    });
    this.options.onChange?.(name);
    return list.resourceVersion;
  }

  /** Applies one event, in order, with the position it brings; answers that position (none: it had none). */
  private async apply(
    name: string,
    kind: KindWatch,
    event: WatchEvent,
  ): Promise<string | undefined> {
    const arrived = Date.now();
    this.options.metrics?.watchEvent(name, kind.def.kind, event.type);
    if (event.type === 'ERROR')
      throw watchError(event.object.code, event.object.message);
    const resourceVersion = event.object.metadata?.resourceVersion;
    if (typeof resourceVersion !== 'string' || !resourceVersion)
      return undefined;
    const position = { kind: kind.def.kind, resourceVersion };
    if (event.type === 'BOOKMARK') {
      await this.options.store.setWatchPosition(name, position);
    } else {
      let object;
      try {
        object = parseFluxObject(
          kind.def,
          event.object,
          this.options.redactionFor?.(name) ?? {},
        );
      } catch (error) {
        // One malformed object must not stop the watch (it would come back on every reconnect): skip it.
        this.options.logger.warn(
          `Watch of ${
            kind.def.plural
          } on cluster "${name}" skipped an object it could not read: ${describeClusterError(
            error,
          )}`,
        );
        await this.options.store.setWatchPosition(name, position);
        return resourceVersion;
      }
      const change =
        event.type === 'DELETED'
          ? {
              type: 'delete' as const,
              kind: object.kind,
              namespace: object.namespace,
              name: object.name,
              resourceVersion,
            }
          : { type: 'upsert' as const, object };
      if (await this.options.store.applyWatchChange(name, change, position)) {
        this.options.onChange?.(name, object.uid ? [object.uid] : undefined);
      }
      this.options.metrics?.watchApplied(name, Date.now() - arrived);
    }
    return resourceVersion;
  }
}
