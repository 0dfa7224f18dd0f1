/**
 * Collectors that keep a report small however long the run: a list that keeps its first and last
 * items and counts what it dropped in between, and a compressor of repeated statuses.
 */
import type { StatusRun } from './types';

/** Keeps the first `head` and the last `tail` items pushed; counts the ones dropped between. */
export class HeadTailList<T> {
  private readonly first: T[] = [];
  private readonly last: T[] = [];
  omitted = 0;

  constructor(
    private readonly head: number,
    private readonly tail: number,
  ) {}

  push(item: T): void {
    if (this.first.length < this.head) {
      this.first.push(item);
      return;
    }
    this.last.push(item);
    if (this.last.length > this.tail) {
      this.last.shift();
      this.omitted++;
    }
  }

  /** The most recent item, for in-place updates (merging a repeated status). */
  peekLast(): T | undefined {
    return this.last.length ? this.last[this.last.length - 1] : this.first[this.first.length - 1];
  }

  get size(): number {
    return this.first.length + this.last.length + this.omitted;
  }

  items(): T[] {
    return [...this.first, ...this.last];
  }

  /** Head and tail separately, so a renderer can mark the gap. */
  parts(): { head: T[]; tail: T[] } {
    return { head: [...this.first], tail: [...this.last] };
  }
}

/** CREATING, CREATING, ..., ACTIVE  ->  [CREATING x14, ACTIVE], bounded to head+tail segments. */
export class StatusCompressor {
  private readonly runs: HeadTailList<StatusRun>;
  private lastStatus: string | undefined;

  constructor(head = 12, tail = 12) {
    this.runs = new HeadTailList<StatusRun>(head, tail);
  }

  add(status: string): void {
    const current = this.runs.peekLast();
    if (current && this.lastStatus === status) current.count++;
    else this.runs.push({ status, count: 1 });
    this.lastStatus = status;
  }

  get last(): string | undefined {
    return this.lastStatus;
  }

  get omitted(): number {
    return this.runs.omitted;
  }

  result(): StatusRun[] {
    return this.runs.items();
  }

  text(): string {
    const { head, tail } = this.runs.parts();
    const fmt = (r: StatusRun) => (r.count > 1 ? `${r.status} x${r.count}` : r.status);
    const parts = head.map(fmt);
    if (this.runs.omitted > 0) parts.push(`... (${this.runs.omitted} more changes) ...`);
    parts.push(...tail.map(fmt));
    return parts.join(' -> ');
  }
}
