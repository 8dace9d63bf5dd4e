import { raw, type FilterQuery } from '@mikro-orm/sql';
import type { Session } from '../sessions/session.entity.js';
import type { RejectType, ReviewAnswer, SessionStatus } from '../sessions/session-status.js';

/** A half-open time range `[from, to)`; either end optional. */
export interface TimeRange {
  from?: Date;
  to?: Date;
}

/**
 * What a report selects among a tenant's sessions (issue 21, reference 001 "Reports"); every field optional, the
 * fields combine with AND, the values of one list field with OR (except warning codes matched `all`).
 */
export interface ReportFilter {
  started?: TimeRange;
  /** When the session got its final status (`finishedAt`). */
  decided?: TimeRange;
  statuses?: SessionStatus[];
  scenarioIds?: string[];
  reviewAnswers?: ReviewAnswer[];
  rejectTypes?: RejectType[];
  /** Sessions carrying any of these reject labels. */
  rejectLabels?: string[];
  /** Sessions carrying any (or all) of these warning codes. */
  warningCodes?: { codes: string[]; match: 'any' | 'all' };
  needsReview?: boolean;
  /** The document's type as read (`PASSPORT`, `ID_CARD`, …: `identity.documentType`). */
  documentTypes?: string[];
  /** ISO 3166 alpha-3 code of the document's issuer. */
  issuingCountries?: string[];
  /** Case-insensitive substring of the surname read from the document. */
  surnameContains?: string;
  /** Case-insensitive substring of the given names read from the document. */
  givenNamesContains?: string;
  documentNumber?: string;
  nationality?: string;
  /** Inclusive range of birth dates, `YYYY-MM-DD`. */
  birthDateFrom?: string;
  birthDateTo?: string;
  personalNumber?: string;
  externalUserId?: string;
  /** Sessions opened through a KYC link of this batch. */
  kycLinkBatchId?: string;
}

/** An SQL condition over the session table's alias, as a filter the ORM combines with its own (the tenant filter). */
function condition(sql: (alias: string) => string, params: unknown[] = []): FilterQuery<Session> {
  return { [raw(sql, params)]: [] } as FilterQuery<Session>;
}

/** `%`, `_` and `\` of user input taken literally in a LIKE pattern. */
function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A text field of `identity` (the OCR values copied onto the session). */
const identityField = (alias: string, field: string) => `(${alias}."identity"->>'${field}')`;

function range(field: 'startedAt' | 'finishedAt', r: TimeRange | undefined): FilterQuery<Session>[] {
  if (!r || (!r.from && !r.to)) return [];
  return [{ [field]: { ...(r.from ? { $gte: r.from } : {}), ...(r.to ? { $lt: r.to } : {}) } } as FilterQuery<Session>];
}

/**
 * The filter as ORM conditions. JSON containment (`@>`) on `warnings` and `reject_labels` is answered by their GIN
 * indexes; the OCR exact values by expression indexes on `(tenant_id, identity->>…)`; substrings scan the tenant's
 * rows that the other conditions leave.
 */
export function reportWhere(filter: ReportFilter): FilterQuery<Session> {
  const and: FilterQuery<Session>[] = [...range('startedAt', filter.started), ...range('finishedAt', filter.decided)];
  const list = <K extends keyof Session>(key: K, values: unknown[] | undefined) => {
    if (values?.length) and.push({ [key]: { $in: values } } as FilterQuery<Session>);
  };
  list('status', filter.statuses);
  list('scenario', filter.scenarioIds);
  list('reviewAnswer', filter.reviewAnswers);
  list('rejectType', filter.rejectTypes);
  if (filter.needsReview !== undefined) and.push({ needsReview: filter.needsReview });
  if (filter.externalUserId !== undefined) and.push({ externalUserId: filter.externalUserId });
  if (filter.rejectLabels?.length) {
    and.push({ $or: filter.rejectLabels.map((label) => condition((a) => `${a}."reject_labels" @> ?::jsonb`, [JSON.stringify([label])])) });
  }
  const warnings = filter.warningCodes;
  if (warnings?.codes.length) {
    const contains = (codes: string[]) => condition((a) => `${a}."warnings" @> ?::jsonb`, [JSON.stringify(codes.map((code) => ({ code })))]);
    and.push(warnings.match === 'all' ? contains(warnings.codes) : { $or: warnings.codes.map((code) => contains([code])) });
  }
  const identityIn = (field: string, values: string[] | undefined) => {
    if (values?.length) and.push(condition((a) => `${identityField(a, field)} in (${values.map(() => '?').join(', ')})`, values));
  };
  identityIn('documentType', filter.documentTypes);
  identityIn('issuingCountry', filter.issuingCountries);
  for (const [field, value] of [['documentNumber', filter.documentNumber], ['nationality', filter.nationality], ['personalNumber', filter.personalNumber]] as const) {
    if (value !== undefined) identityIn(field, [value]);
  }
  for (const [field, value] of [['surname', filter.surnameContains], ['givenNames', filter.givenNamesContains]] as const) {
    if (value) and.push(condition((a) => `${identityField(a, field)} ilike ?`, [`%${likeLiteral(value)}%`]));
  }
  if (filter.birthDateFrom) and.push(condition((a) => `${identityField(a, 'birthDate')} >= ?`, [filter.birthDateFrom]));
  if (filter.birthDateTo) and.push(condition((a) => `${identityField(a, 'birthDate')} <= ?`, [filter.birthDateTo]));
  if (filter.kycLinkBatchId) {
    // Raw SQL escapes the ORM's tenant filter: the link's tenant is the session's, whatever RLS adds beneath.
    and.push(condition((a) => `${a}."kyc_link_id" in (select l."id" from "kyc_link" l where l."batch_id" = ? and l."tenant_id" = ${a}."tenant_id")`, [filter.kycLinkBatchId]));
  }
  return and.length ? { $and: and } : {};
}
