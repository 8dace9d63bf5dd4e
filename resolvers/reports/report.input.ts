import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import type { ReportFilter, TimeRange } from '../../domain/reports/report-filter.js';
import { RejectType, ReviewAnswer, SessionStatus } from '../../domain/sessions/session-status.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import { parseId } from '../common/tenant-scope.js';

/** How a list of warning codes matches. */
export enum WarningCodeMatch {
  ANY = 'ANY',
  ALL = 'ALL',
}
registerEnumType(WarningCodeMatch, { name: 'WarningCodeMatch', description: 'ANY: a session carries at least one of the codes; ALL: every one of them.' });

@InputType({ description: 'A half-open time range [from, to); either end optional.' })
export class TimeRangeInput {
  @Field(() => Date, { nullable: true })
  from?: Date | null;

  @Field(() => Date, { nullable: true })
  to?: Date | null;
}

@InputType()
export class WarningCodesInput {
  @Field(() => [String])
  codes!: string[];

  @Field(() => WarningCodeMatch, { defaultValue: WarningCodeMatch.ANY })
  match!: WarningCodeMatch;
}

@InputType({ description: 'What a report selects; fields combine with AND, the values of one list with OR.' })
export class ReportFilterInput {
  @Field(() => TimeRangeInput, { nullable: true, description: 'When the session was created.' })
  started?: TimeRangeInput | null;

  @Field(() => TimeRangeInput, { nullable: true, description: 'When the session got its final status.' })
  decided?: TimeRangeInput | null;

  @Field(() => [SessionStatus], { nullable: true })
  statuses?: SessionStatus[] | null;

  @Field(() => [ID], { nullable: true })
  scenarioIds?: string[] | null;

  @Field(() => [ReviewAnswer], { nullable: true })
  reviewAnswers?: ReviewAnswer[] | null;

  @Field(() => [RejectType], { nullable: true })
  rejectTypes?: RejectType[] | null;

  @Field(() => [String], { nullable: true, description: 'Sessions carrying any of these reject labels.' })
  rejectLabels?: string[] | null;

  @Field(() => WarningCodesInput, { nullable: true })
  warningCodes?: WarningCodesInput | null;

  @Field(() => Boolean, { nullable: true, description: 'Sessions the engine flagged for an operator (or not).' })
  needsReview?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Document types as read: PASSPORT, ID_CARD, …' })
  documentTypes?: string[] | null;

  @Field(() => [String], { nullable: true, description: "ISO 3166 alpha-3 codes of the document's issuer." })
  issuingCountries?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the surname read from the document.' })
  surnameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'Case-insensitive part of the given names read from the document.' })
  givenNamesContains?: string | null;

  @Field(() => String, { nullable: true })
  documentNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'ISO 3166 alpha-3 nationality read from the document.' })
  nationality?: string | null;

  @Field(() => String, { nullable: true, description: 'Earliest birth date, YYYY-MM-DD, inclusive.' })
  birthDateFrom?: string | null;

  @Field(() => String, { nullable: true, description: 'Latest birth date, YYYY-MM-DD, inclusive.' })
  birthDateTo?: string | null;

  @Field(() => String, { nullable: true })
  personalNumber?: string | null;

  @Field(() => String, { nullable: true })
  externalUserId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Sessions opened through a KYC link of this batch.' })
  kycLinkBatchId?: string | null;
}

/** Longest text value and list a report filter takes: a filter is a query, not a payload. */
const MAX_TEXT = 200;
const MAX_LIST = 100;

function text(value: string | null | undefined, argument: string): string | undefined {
  if (value == null) return undefined;
  if (value.length > MAX_TEXT) throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `${argument} is longer than ${MAX_TEXT} characters`, { argument });
  return value;
}

function list<T>(values: T[] | null | undefined, argument: string, each: (v: T) => T = (v) => v): T[] | undefined {
  if (values == null) return undefined;
  if (values.length > MAX_LIST) throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `${argument} has more than ${MAX_LIST} values`, { argument });
  return values.map(each);
}

function isoDate(value: string | null | undefined, argument: string): string | undefined {
  if (value == null) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new ApiError(ApiErrorCode.BAD_USER_INPUT, `${argument} must be a date YYYY-MM-DD`, { argument });
  }
  return value;
}

function timeRange(input: TimeRangeInput | null | undefined): TimeRange | undefined {
  return input ? { from: input.from ?? undefined, to: input.to ?? undefined } : undefined;
}

/** The GraphQL filter in domain terms: ids parsed, lengths bounded, dates checked; a mistake is a BAD_USER_INPUT. */
export function toReportFilter(input: ReportFilterInput | null | undefined): ReportFilter {
  if (!input) return {};
  const upper = (v: string) => text(v, 'filter')!.toUpperCase();
  return {
    started: timeRange(input.started),
    decided: timeRange(input.decided),
    statuses: list(input.statuses, 'filter.statuses'),
    scenarioIds: list(input.scenarioIds, 'filter.scenarioIds', (id) => parseId(id, 'filter.scenarioIds')),
    reviewAnswers: list(input.reviewAnswers, 'filter.reviewAnswers'),
    rejectTypes: list(input.rejectTypes, 'filter.rejectTypes'),
    rejectLabels: list(input.rejectLabels, 'filter.rejectLabels', (v) => text(v, 'filter.rejectLabels')!),
    warningCodes: input.warningCodes
      ? { codes: list(input.warningCodes.codes, 'filter.warningCodes', (v) => text(v, 'filter.warningCodes')!)!, match: input.warningCodes.match === WarningCodeMatch.ALL ? 'all' : 'any' }
      : undefined,
    needsReview: input.needsReview ?? undefined,
    documentTypes: list(input.documentTypes, 'filter.documentTypes', upper),
    issuingCountries: list(input.issuingCountries, 'filter.issuingCountries', upper),
    surnameContains: text(input.surnameContains, 'filter.surnameContains'),
    givenNamesContains: text(input.givenNamesContains, 'filter.givenNamesContains'),
    // Document numbers, nationalities and personal numbers are stored as the MRZ has them: upper case.
    documentNumber: text(input.documentNumber, 'filter.documentNumber')?.toUpperCase(),
    nationality: text(input.nationality, 'filter.nationality')?.toUpperCase(),
    birthDateFrom: isoDate(input.birthDateFrom, 'filter.birthDateFrom'),
    birthDateTo: isoDate(input.birthDateTo, 'filter.birthDateTo'),
    personalNumber: text(input.personalNumber, 'filter.personalNumber')?.toUpperCase(),
    externalUserId: text(input.externalUserId, 'filter.externalUserId'),
    kycLinkBatchId: input.kycLinkBatchId ? parseId(input.kycLinkBatchId, 'filter.kycLinkBatchId') : undefined,
  };
}
