/**
 * Heap figures for the benchmark. A full GC before each reading makes heapUsed mean "what is
 * still retained" rather than "how much garbage happens to be waiting", which is what a leak
 * measure needs. `npm run bench` runs without --expose-gc, so V8's flag is switched on at run
 * time and `gc` is fetched from a fresh context (a documented V8 behaviour); if that ever fails,
 * readings are taken without GC and labelled so.
 */
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export interface HeapReading {
  heapUsed: number;
  /** The part of heapUsed that is V8's compiled machine code (grows while the JIT warms up). */
  codeSpace: number;
  rss: number;
}

export interface HeapMeter {
  /** True when readings follow a full GC. */
  readonly afterGc: boolean;
  read(): HeapReading;
}

function findGc(): (() => void) | undefined {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (typeof existing === 'function') return existing;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as () => void) : undefined;
  } catch {
    return undefined;
  }
}

export function createHeapMeter(): HeapMeter {
  const gc = findGc();
  return {
    afterGc: gc !== undefined,
    read() {
      if (gc) {
        // Twice: the first pass can leave objects whose finalizers free more.
        gc();
        gc();
      }
      const m = process.memoryUsage();
      const codeSpace = getHeapSpaceStatistics()
        .filter((sp) => sp.space_name.startsWith('code_'))
        .reduce((sum, sp) => sum + sp.space_used_size, 0);
      return { heapUsed: m.heapUsed, codeSpace, rss: m.rss };
    },
  };
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
