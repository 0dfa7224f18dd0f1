/** The notice list the shell shows under the sandbox banner: pure rules, tested without a DOM. */
import type { Notice } from '../appContext';

const MAX_NOTICES = 5;

/** Adds a notice; one of the same topic replaces the last, and the list never grows past five. */
export function addNotice(list: readonly Notice[], notice: Notice): Notice[] {
  const kept = list.filter((n) => notice.topic === undefined || n.topic !== notice.topic);
  return [...kept.slice(-(MAX_NOTICES - 1)), notice];
}

/** On leaving a screen: confirmations go, errors and warnings stay until dismissed. */
export function noticesAfterNavigation(list: readonly Notice[]): Notice[] {
  return list.filter((n) => n.type === 'error' || n.type === 'warning');
}
