/**
 * How long something took, in words, for every surface: the timeline, the Done screen, History,
 * the reports, the CLI and the engine's messages. PURE: the renderer uses it too.
 */
export function formatDuration(ms: number | undefined, missing = '-'): string {
  if (ms === undefined || !Number.isFinite(ms)) return missing;
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  const totalS = Math.round(s);
  const d = Math.floor(totalS / 86_400);
  const h = Math.floor((totalS % 86_400) / 3600);
  const m = Math.floor((totalS % 3600) / 60);
  const sec = totalS % 60;
  // Hours up to three days read better than days ("26 h 37 min" for a long import).
  if (d >= 3) return `${d} d ${h} h ${m} min`;
  if (d > 0 || h > 0) return `${d * 24 + h} h ${m} min`;
  return sec ? `${m} min ${sec} s` : `${m} min`;
}
