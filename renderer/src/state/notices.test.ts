import { describe, expect, it } from 'vitest';
import type { Notice } from '../appContext';
import { addNotice, noticesAfterNavigation } from './notices';

const n = (id: string, extra: Partial<Notice> = {}): Notice => ({ id, type: 'success', header: id, ...extra });

describe('notices', () => {
  it('replaces the previous notice of the same topic instead of piling up', () => {
    let list: Notice[] = [];
    for (const f of ['html', 'pdf', 'md', 'json']) list = addNotice(list, n(f, { topic: 'report-export' }));
    expect(list.map((x) => x.id)).toEqual(['json']);
  });

  it('keeps notices without a topic, at most five, newest last', () => {
    let list: Notice[] = [];
    for (let i = 1; i <= 7; i++) list = addNotice(list, n(String(i)));
    expect(list.map((x) => x.id)).toEqual(['3', '4', '5', '6', '7']);
  });

  it('drops confirmations on navigation but keeps errors and warnings', () => {
    const list = [n('ok'), n('err', { type: 'error' }), n('info', { type: 'info' }), n('warn', { type: 'warning' })];
    expect(noticesAfterNavigation(list).map((x) => x.id)).toEqual(['err', 'warn']);
  });
});
