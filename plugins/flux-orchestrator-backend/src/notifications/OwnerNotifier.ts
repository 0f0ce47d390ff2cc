import { createHash } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  NotificationPayload,
  NotificationSeverity,
} from '@backstage/plugin-notifications-common';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { describeDuration } from '@flux-orchestrator/backstage-plugin-flux-orchestrator-common';
import { FluxStore } from '../database/FluxStore';
import {
  NotificationOutcome,
  NotifiedObject,
  PendingNotification,
} from '../database/notificationOutbox';
import { EntityMatcher } from '../permissions/EntitySelections';
import { EVERYTHING } from '../permissions/Scope';
import { NotificationSettings } from './readNotificationSettings';

/** Changes settled per run at most; the next run takes the rest. */
const MAX_PER_RUN = 500;

/** Objects a summary names before it says how many more. */
const SUMMARY_NAMES = 5;

/** The notifications backend keeps a title and a scope in 255 characters. */
const MAX_TITLE_LENGTH = 255;

function fit(text: string, max: number) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * One scope per object, so that its notifications replace each other; a digest of its id, which may be longer
 * than the notifications backend keeps.
 */
function scopeOf(key: string) {
  return `flux-orchestrator:${createHash('sha256').update(key).digest('hex')}`;
}

/**
 * Whether the notifications backend refused the notification itself (it answers 4xx): sending it again would fail
 * again, so it is settled as undeliverable instead of holding up the ones after it. The client says the status
 * only in its message. A backend that is away (no answer, 5xx, 429) is retried.
 */
function isRefused(error: unknown): boolean {
  const status = /status (\d{3})/.exec(String((error as Error)?.message))?.[1];
  return status !== undefined && status.startsWith('4') && status !== '429';
}

type Event = NotifiedObject['event'];

/** Stalled is Flux giving up until someone changes the spec: worse than a failure it retries. */
const SEVERITY: Record<Event, NotificationSeverity> = {
  failing: 'high',
  stalled: 'critical',
  recovered: 'normal',
};

function eventOf(change: PendingNotification): Event {
  if (change.to === 'ready') return 'recovered';
  return change.to === 'stalled' ? 'stalled' : 'failing';
}

function describeObject(change: PendingNotification) {
  return `${change.kind} ${change.namespace}/${change.name} on ${change.cluster}`;
}

/**
 * Tells the owners of the catalog entities that select an object when it turns failing or stalled and when it
 * recovers, through Backstage notifications. The changes come from the status history's outbox, so a change is
 * told once whichever replica saw it. Limits: one notification about an object per `minInterval` (a flapping
 * object tells once), a recovery only when its failure was told, at most `maxPerEntity` per entity per run (the
 * rest are one summary), nothing older than `maxAge`. Each object's notifications share a scope, so that its
 * recovery updates its failure's notification instead of adding one, and a run repeated after a crash updates
 * rather than duplicates. The notification names the object, its status and Ready's reason, never its message: the
 * owners may not be allowed to read more of it, and the link leads to the portal, which checks.
 */
export class OwnerNotifier {
  constructor(
    private readonly options: {
      store: FluxStore;
      matchers: () => Promise<EntityMatcher[]>;
      notifications: NotificationService;
      logger: LoggerService;
      settings: NotificationSettings;
    },
  ) {}

  private link(path: string) {
    return `${this.options.settings.pagePath}${path}`;
  }

  private payloadOf(
    change: PendingNotification,
    event: Event,
    entityRefs: string[],
  ): NotificationPayload {
    const what = describeObject(change);
    const entities = `Selected by ${entityRefs.join(', ')}.`;
    return {
      title: fit(
        event === 'recovered'
          ? `${what} recovered`
          : `${what} is ${event === 'stalled' ? 'stalled' : 'failing'}`,
        MAX_TITLE_LENGTH,
      ),
      description:
        event === 'recovered'
          ? `Ready again${
              change.recoveryMs === undefined
                ? ''
                : ` after ${describeDuration(change.recoveryMs)}`
            }. ${entities}`
          : `Ready: ${change.reason ?? 'no reason given'}. ${entities}`,
      link: this.link(`/resources/${encodeURIComponent(change.resourceId)}`),
      severity: SEVERITY[event],
      topic: 'Flux',
      scope: scopeOf(change.resourceId),
    };
  }

  private summaryOf(entityRef: string, changes: PendingNotification[]) {
    const ref = parseEntityRef(entityRef);
    const named = changes
      .slice(0, SUMMARY_NAMES)
      .map(c => `${describeObject(c)}: ${eventOf(c)}`);
    const more =
      changes.length > SUMMARY_NAMES
        ? `, and ${changes.length - SUMMARY_NAMES} more`
        : '';
    const payload: NotificationPayload = {
      title: fit(
        `${changes.length} more Flux objects of ${entityRef} changed status`,
        MAX_TITLE_LENGTH,
      ),
      description: `${named.join('; ')}${more}.`,
      link: `/catalog/${ref.namespace}/${ref.kind}/${ref.name}/flux`,
      severity: changes.some(c => eventOf(c) !== 'recovered')
        ? 'high'
        : 'normal',
      topic: 'Flux',
      scope: scopeOf(`entity:${entityRef}`),
    };
    return payload;
  }

  /** One run: settles what is pending. Answers how many changes ended how. */
  async run(
    now: Date = new Date(),
  ): Promise<Partial<Record<NotificationOutcome, number>>> {
    const { store, settings, notifications, logger } = this.options;
    const pending = await store.listPendingNotifications(MAX_PER_RUN);
    if (!pending.length) return {};
    const ids = [...new Set(pending.map(change => change.resourceId))];
    const [resources, notified, matchers] = await Promise.all([
      store.getResources(ids, EVERYTHING),
      store.readNotifiedObjects(ids),
      this.options.matchers(),
    ]);
    const byId = new Map(resources.map(r => [r.id, r]));
    const outcomes = new Map<number, NotificationOutcome>();
    const sent = new Map<string, NotifiedObject>();
    const told = new Map<string, number>();
    const summaries = new Map<
      string,
      { owners: string[]; changes: PendingNotification[] }
    >();

    for (const change of pending) {
      if (now.getTime() - Date.parse(change.at) > settings.maxAgeMs) {
        outcomes.set(change.id, 'expired');
        continue;
      }
      const resource = byId.get(change.resourceId);
      const selecting = resource
        ? matchers
            .filter(m => m.selects(resource))
            .sort((a, b) => a.entityRef.localeCompare(b.entityRef))
        : [];
      const owners = [...new Set(selecting.flatMap(m => m.owners))];
      if (!owners.length) {
        outcomes.set(change.id, 'unowned');
        continue;
      }
      const event = eventOf(change);
      const last =
        sent.get(change.resourceId) ?? notified.get(change.resourceId);
      const quiet =
        event === 'recovered'
          ? !last || last.event === 'recovered'
          : last !== undefined &&
            now.getTime() - last.sentAt.getTime() < settings.minIntervalMs;
      if (quiet) {
        outcomes.set(change.id, 'suppressed');
        continue;
      }
      const primary = selecting[0];
      const count = told.get(primary.entityRef) ?? 0;
      if (count >= settings.maxPerEntity) {
        const summary = summaries.get(primary.entityRef) ?? {
          owners: primary.owners,
          changes: [],
        };
        summary.changes.push(change);
        summaries.set(primary.entityRef, summary);
        outcomes.set(change.id, 'summarized');
        sent.set(change.resourceId, { event, sentAt: now });
        continue;
      }
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: owners },
          payload: this.payloadOf(
            change,
            event,
            selecting.map(m => m.entityRef),
          ),
        });
      } catch (error) {
        if (isRefused(error)) {
          logger.warn(
            `The notifications backend refused the Flux notification about ${
              change.resourceId
            }: ${(error as Error).message}`,
          );
          outcomes.set(change.id, 'undeliverable');
          continue;
        }
        // The notifications backend is away: what is not settled stays pending for the next run.
        logger.warn(
          `Could not send a Flux notification, will retry: ${
            (error as Error).message
          }`,
        );
        break;
      }
      told.set(primary.entityRef, count + 1);
      outcomes.set(change.id, 'sent');
      sent.set(change.resourceId, { event, sentAt: now });
    }

    for (const [entityRef, summary] of summaries) {
      try {
        await notifications.send({
          recipients: { type: 'entity', entityRef: summary.owners },
          payload: this.summaryOf(entityRef, summary.changes),
        });
      } catch (error) {
        logger.warn(
          `Could not send a Flux notification, will retry: ${
            (error as Error).message
          }`,
        );
        for (const change of summary.changes) {
          outcomes.delete(change.id);
          sent.delete(change.resourceId);
        }
      }
    }
    await store.settleNotifications(outcomes, sent);
    const counts: Partial<Record<NotificationOutcome, number>> = {};
    for (const outcome of outcomes.values())
      counts[outcome] = (counts[outcome] ?? 0) + 1;
    return counts;
  }
}
