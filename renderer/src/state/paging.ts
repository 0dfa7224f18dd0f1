/** The client-side "filter, then page" of the Data stores tables: pure, tested without a DOM. */

export const PAGE_SIZE = 20;

/** Items of one page after the filter, and the page count; a page past the end shows the last one. */
export function pageOf<T>(items: readonly T[], page: number, size = PAGE_SIZE): { items: T[]; pages: number; page: number } {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const current = Math.min(Math.max(1, Math.floor(page) || 1), pages);
  return { items: items.slice((current - 1) * size, current * size), pages, page: current };
}

/** The console's Data stores search: by name (any case) or by id, and one status or any. */
export function filterDatastores<T extends { datastoreName: string; datastoreId: string; datastoreStatus: string }>(rows: readonly T[], text: string, status: string): T[] {
  const needle = text.trim().toLowerCase();
  return rows.filter((d) => (!status || d.datastoreStatus === status) && (!needle || d.datastoreName.toLowerCase().includes(needle) || d.datastoreId.includes(needle)));
}
