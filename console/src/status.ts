import type { SessionStatus, WarningSeverity } from './generated/graphql.js';

/** Every session status, in the order the console lists them. */
export const STATUSES: readonly SessionStatus[] = ['IN_PROGRESS', 'SUCCESS', 'FAILED', 'SUSPICIOUS', 'IDLE', 'EXPIRED'];

/** The Mantine colour of a status: the API decides the status, the console only paints it. */
export const STATUS_COLOUR: Record<SessionStatus, string> = {
  IN_PROGRESS: 'blue',
  SUCCESS: 'green',
  FAILED: 'red',
  SUSPICIOUS: 'orange',
  IDLE: 'gray',
  EXPIRED: 'gray',
};

export const SEVERITY_COLOUR: Record<WarningSeverity, string> = { HIGH: 'red', MEDIUM: 'orange', LOW: 'yellow', NONE: 'gray' };

/** "IN_PROGRESS" → "In progress". */
export function label(value: string): string {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A time as the operator's locale writes it. */
export function formatTime(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : '—';
}
