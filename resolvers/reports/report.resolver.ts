import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import { aggregateReport, listReport } from '../../domain/reports/report.repository.js';
import { Scope } from '../../domain/tokens/scopes.js';
import type { RequestContext } from '../../server/context.js';
import { ApiError, ApiErrorCode } from '../../server/errors.js';
import type { Page } from '../common/connection.js';
import { pageArgs, toConnection } from '../common/pagination.js';
import { tenantScope } from '../common/tenant-scope.js';
import { OrderDirection, SessionOrderField, SessionOrderInput, toSessionOrder } from '../sessions/session.input.js';
import { toSessionType } from '../sessions/session.mapper.js';
import { SessionConnection, type SessionType } from '../sessions/session.type.js';
import { ReportFilterInput, toReportFilter } from './report.input.js';
import { ReportAggregatesType } from './report.type.js';

/** Largest page of `report`. */
export const MAX_REPORT_PAGE = 500;

/** An IANA zone name the runtime knows (the database knows the same tz database names). */
function checkedTimeZone(zone: string): string {
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new ApiError(ApiErrorCode.BAD_USER_INPUT, 'timeZone must be an IANA time zone name', { argument: 'timeZone' });
  }
}

/** A data team's reports over the tenant's sessions (issue 21): `reports:read` on every field. */
@Resolver()
export class ReportResolver {
  @Authorized(Scope.REPORTS_READ)
  @Query(() => SessionConnection, { description: 'The sessions a report filter selects, as keyset pages, newest first unless `orderBy` says otherwise.' })
  async report(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ReportFilterInput, { nullable: true }) filter: ReportFilterInput | null,
    @Arg('orderBy', () => SessionOrderInput, { defaultValue: { field: SessionOrderField.CREATED_AT, direction: OrderDirection.DESC } }) orderBy: SessionOrderInput,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
  ): Promise<Page<SessionType>> {
    const { em } = tenantScope(ctx);
    const { order, parseSortKey } = toSessionOrder(orderBy);
    const page = await listReport(em, { filter: toReportFilter(filter), order, ...pageArgs(first, after, MAX_REPORT_PAGE, parseSortKey) });
    return toConnection(page, (s) => s[order.field] ?? null, toSessionType);
  }

  @Authorized(Scope.REPORTS_READ)
  @Query(() => ReportAggregatesType, { description: 'Counts by status, scenario, day, warning code and reject label, and the median time to decision, of a report filter.' })
  async reportAggregates(
    @Ctx() ctx: RequestContext,
    @Arg('filter', () => ReportFilterInput, { nullable: true }) filter: ReportFilterInput | null,
    @Arg('timeZone', () => String, { defaultValue: 'UTC', description: 'IANA time zone of the days of `byDay`.' }) timeZone: string,
  ): Promise<ReportAggregatesType> {
    const { em } = tenantScope(ctx);
    return aggregateReport(em, toReportFilter(filter), checkedTimeZone(timeZone));
  }
}
