import type { EntityManager, FilterQuery } from '@mikro-orm/sql';
import { keysetPage, type KeysetCursor, type KeysetPage } from '../database/keyset-page.js';
import type { Row } from '../database/read-rows.js';
import { Session } from '../sessions/session.entity.js';
import { DEFAULT_SESSION_ORDER, SESSION_ORDER_FIELDS, type SessionOrder } from '../sessions/session.repository.js';
import { reportWhere, type ReportFilter } from './report-filter.js';

/** One group of an aggregate: its key and how many sessions of the filter fall in it. */
export interface ReportCount {
  key: string;
  count: number;
}

/** The aggregates of a report, over every session its filter selects. */
export interface ReportAggregates {
  total: number;
  byStatus: ReportCount[];
  byScenario: ReportCount[];
  /** Keyed `YYYY-MM-DD` in the time zone asked for, by creation time. */
  byDay: ReportCount[];
  /** Sessions carrying each warning code (a session with the code twice counts once). */
  byWarningCode: ReportCount[];
  byRejectLabel: ReportCount[];
  /** Median seconds from creation to decision of the decided sessions; null when none is decided. */
  medianSecondsToDecision: number | null;
}

/** The sessions a report selects, as keyset pages in any order `sessions` offers (the same indexes serve both). */
export function listReport(
  em: EntityManager,
  options: { filter: ReportFilter; order?: SessionOrder; first: number; after?: KeysetCursor },
): Promise<KeysetPage<Row<Session>>> {
  const { filter, order = DEFAULT_SESSION_ORDER } = options;
  return keysetPage(em, Session, {
    where: reportWhere(filter),
    sortField: order.field,
    direction: order.direction,
    nullable: SESSION_ORDER_FIELDS[order.field].nullable,
    first: options.first,
    after: options.after,
  });
}

/**
 * The filtered sessions as an SQL subquery with its parameters, built by the ORM so that the tenant filter applies;
 * the aggregates group over it.
 */
async function selected(em: EntityManager, where: FilterQuery<Session>): Promise<{ sql: string; params: unknown[] }> {
  const qb = em
    .createQueryBuilder(Session, 's')
    .select(['id', 'status', 'scenario', 'startedAt', 'finishedAt', 'warnings', 'rejectLabels'] as never)
    .where(where as never);
  await qb.applyFilters();
  return { sql: qb.getQuery(), params: [...qb.getParams()] };
}

/** `select <key> as key, count(...) from (filtered) f <from> group by 1`, largest groups first, ties by key. */
async function counts(em: EntityManager, base: { sql: string; params: unknown[] }, key: string, options: { from?: string; params?: unknown[]; distinct?: boolean } = {}): Promise<ReportCount[]> {
  const rows = await em.execute<{ key: string; count: string | number }[]>(
    `select ${key} as key, count(${options.distinct ? 'distinct f.id' : '*'}) as count from (${base.sql}) f ${options.from ?? ''} group by 1 order by 2 desc, 1`,
    [...(options.params ?? []), ...base.params],
  );
  return rows.map((r) => ({ key: String(r.key), count: Number(r.count) }));
}

/**
 * Counts by status, scenario, day (in `timeZone`, an IANA name the caller has checked), warning code and reject
 * label, and the median time to decision, of the sessions `filter` selects. One statement per aggregate over the
 * same filtered subquery, all in the caller's transaction so that they see one snapshot when it is repeatable-read.
 */
export async function aggregateReport(em: EntityManager, filter: ReportFilter, timeZone: string): Promise<ReportAggregates> {
  const base = await selected(em, reportWhere(filter));
  const byStatus = await counts(em, base, 'f.status');
  const byScenario = await counts(em, base, 'f.scenario_id');
  // The zone goes in as a parameter; it precedes the subquery's own parameters in the statement.
  const byDay = await counts(em, base, `to_char(f.started_at at time zone ?::text, 'YYYY-MM-DD')`, { params: [timeZone] });
  const byWarningCode = await counts(em, base, `w.value->>'code'`, { from: 'cross join lateral jsonb_array_elements(f.warnings) w', distinct: true });
  const byRejectLabel = await counts(em, base, 'l.value', { from: 'cross join lateral jsonb_array_elements_text(f.reject_labels) l', distinct: true });
  const [median] = await em.execute<{ total: string | number; median: string | number | null }[]>(
    `select count(*) as total,
            percentile_cont(0.5) within group (order by extract(epoch from f.finished_at - f.started_at)) filter (where f.finished_at is not null) as median
       from (${base.sql}) f`,
    base.params,
  );
  return {
    total: Number(median?.total ?? 0),
    byStatus,
    byScenario,
    byDay: byDay.sort((x, y) => (x.key < y.key ? -1 : 1)),
    byWarningCode,
    byRejectLabel,
    medianSecondsToDecision: median?.median == null ? null : Number(median.median),
  };
}
