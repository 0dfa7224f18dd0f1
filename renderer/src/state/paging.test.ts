import { describe, expect, it } from 'vitest';
import { filterDatastores, pageOf } from './paging';

const rows = [
  { datastoreId: 'a'.repeat(32), datastoreName: 'Radiology-Prod', datastoreStatus: 'ACTIVE' },
  { datastoreId: 'b'.repeat(32), datastoreName: 'cardiology', datastoreStatus: 'CREATING' },
  { datastoreId: 'c'.repeat(32), datastoreName: 'radiology-test', datastoreStatus: 'DELETED' },
];

describe('Data stores table: filter, then page', () => {
  it('searches names in any case, and ids', () => {
    expect(filterDatastores(rows, ' RADIOLOGY ', '').map((r) => r.datastoreName)).toEqual(['Radiology-Prod', 'radiology-test']);
    expect(filterDatastores(rows, 'bbbb', '').map((r) => r.datastoreName)).toEqual(['cardiology']);
    expect(filterDatastores(rows, 'nothing', '')).toEqual([]);
  });

  it('narrows to one status, with the search', () => {
    expect(filterDatastores(rows, '', 'DELETED').map((r) => r.datastoreName)).toEqual(['radiology-test']);
    expect(filterDatastores(rows, 'radiology', 'ACTIVE').map((r) => r.datastoreName)).toEqual(['Radiology-Prod']);
  });

  it('pages of twenty; a page past the end (after a narrower filter) shows the last one', () => {
    const many = Array.from({ length: 45 }, (_, i) => i);
    expect(pageOf(many, 1)).toMatchObject({ pages: 3, page: 1, items: many.slice(0, 20) });
    expect(pageOf(many, 3).items).toEqual([40, 41, 42, 43, 44]);
    expect(pageOf(many, 9)).toMatchObject({ page: 3 });
    expect(pageOf([], 2)).toEqual({ items: [], pages: 1, page: 1 });
    expect(pageOf(many, 0).page).toBe(1);
  });
});
