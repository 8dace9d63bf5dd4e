/** The manual-review queue's order and keyboard, apart from React. */

export interface QueueItem {
  id: string;
  needsReview: boolean;
  startedAt: string;
}

/** The sessions the API asks an operator to look at (`needsReview`), oldest first. */
export function reviewQueue<T extends QueueItem>(sessions: readonly T[]): T[] {
  return sessions.filter((s) => s.needsReview).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id.localeCompare(b.id));
}

export type QueueAction = 'approve' | 'reject' | 'next' | 'previous';

/** The queue's shortcuts: a approve, r reject, j / n next, k / p previous; none while typing in a field. */
export function shortcut(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'> & { target: EventTarget | null }): QueueAction | null {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  const target = event.target as HTMLElement | null;
  if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return null;
  switch (event.key) {
    case 'a': return 'approve';
    case 'r': return 'reject';
    case 'j': case 'n': return 'next';
    case 'k': case 'p': return 'previous';
    default: return null;
  }
}
