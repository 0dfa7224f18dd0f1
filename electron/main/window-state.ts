/**
 * Remembers the window's size, position and maximised state in a JSON file in userData, and
 * refuses to restore a position that is no longer on any display. No electron import: the caller
 * passes the displays' work areas.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface WindowState {
  width: number;
  height: number;
  x?: number;
  y?: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 820, maximized: false };
const MIN = { width: 800, height: 600 };
export const WINDOW_STATE_FILE = 'window-state.json';

function finite(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** Reads the saved state, falling back to defaults for a missing, corrupt or off-screen one. */
export function loadWindowState(userDataDir: string, workAreas: readonly Rect[]): WindowState {
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(path.join(userDataDir, WINDOW_STATE_FILE), 'utf8'));
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (typeof saved !== 'object' || saved === null) return { ...DEFAULT_WINDOW_STATE };
  const s = saved as Record<string, unknown>;
  const width = finite(s['width']) ? Math.max(MIN.width, Math.round(s['width'])) : DEFAULT_WINDOW_STATE.width;
  const height = finite(s['height']) ? Math.max(MIN.height, Math.round(s['height'])) : DEFAULT_WINDOW_STATE.height;
  const state: WindowState = { width, height, maximized: s['maximized'] === true };
  if (finite(s['x']) && finite(s['y'])) {
    const x = Math.round(s['x']);
    const y = Math.round(s['y']);
    // Keep the position only when the title bar area is visible on some display.
    const visible = workAreas.some(
      (a) => x + 100 > a.x && x < a.x + a.width - 100 && y >= a.y - 10 && y < a.y + a.height - 50,
    );
    if (visible) {
      state.x = x;
      state.y = y;
    }
  }
  return state;
}

/** Writes the state atomically (temp file + rename), so a crash never leaves a torn file. */
export function saveWindowState(userDataDir: string, state: WindowState): void {
  mkdirSync(userDataDir, { recursive: true });
  const file = path.join(userDataDir, WINDOW_STATE_FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state, null, 2));
  renameSync(tmp, file);
}
