/**
 * Gathers the ids that changes of a cluster touch and hands them on at most once per `intervalMs` per cluster,
 * so that a burst of watch events becomes one signal to open pages. "Anything may have changed" (no ids)
 * swallows the ids gathered with it.
 */
export class ChangeBatcher {
  private readonly pending = new Map<string, Set<string> | 'all'>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(
    private readonly intervalMs: number,
    private readonly flush: (cluster: string, ids?: string[]) => void,
  ) {}

  add(cluster: string, ids?: string[]) {
    const gathered = this.pending.get(cluster);
    if (!ids || gathered === 'all') {
      this.pending.set(cluster, 'all');
    } else {
      const set = gathered ?? new Set<string>();
      ids.forEach(id => set.add(id));
      this.pending.set(cluster, set);
    }
    if (this.timers.has(cluster)) return;
    const timer = setTimeout(() => {
      this.timers.delete(cluster);
      const batch = this.pending.get(cluster);
      this.pending.delete(cluster);
      this.flush(cluster, batch === 'all' || !batch ? undefined : [...batch]);
    }, this.intervalMs);
    timer.unref?.();
    this.timers.set(cluster, timer);
  }

  /** Drops what is gathered and not yet handed on (at shutdown). */
  stop() {
    this.timers.forEach(timer => clearTimeout(timer));
    this.timers.clear();
    this.pending.clear();
  }
}
