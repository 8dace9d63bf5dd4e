import { BoundedJSONObject } from '../common/json-object.scalar.js';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import type { SessionOrder } from '../../domain/sessions/session.repository.js';
import { SessionStatus } from '../../domain/sessions/session-status.js';
import { dateSortKey, type SortKeyParser } from '../common/pagination.js';

@InputType()
export class CreateSessionInput {
  @Field(() => ID, { description: 'Scenario id or public schema id (`sch_…`).' })
  scenarioId!: string;

  @Field(() => String, { nullable: true, description: "The tenant's own id for the applicant." })
  externalUserId?: string | null;

  @Field(() => BoundedJSONObject, { nullable: true, description: 'Free-form data for the tenant (at most 8 KiB).' })
  metadata?: Record<string, unknown> | null;
}

@InputType()
export class SessionFilterInput {
  @Field(() => [SessionStatus], { nullable: true })
  statuses?: SessionStatus[];

  @Field(() => ID, { nullable: true })
  scenarioId?: string;

  @Field(() => String, { nullable: true })
  externalUserId?: string;

  @Field(() => Date, { nullable: true })
  startedFrom?: Date;

  @Field(() => Date, { nullable: true })
  startedTo?: Date;
}

/** An operator's verdict. */
export enum ReviewDecision {
  APPROVE = 'APPROVE',
  REJECT = 'REJECT',
}
registerEnumType(ReviewDecision, { name: 'ReviewDecision' });

/** What `sessions` can be ordered by. */
export enum SessionOrderField {
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
  FINISHED_AT = 'FINISHED_AT',
  STATUS = 'STATUS',
}
registerEnumType(SessionOrderField, {
  name: 'SessionOrderField',
  valuesConfig: {
    CREATED_AT: { description: 'When the session was created (`startedAt`).' },
    UPDATED_AT: { description: 'When the session last changed.' },
    FINISHED_AT: { description: 'When the session was decided; sessions still running count as finishing later than any other (last ascending, first descending).' },
    STATUS: { description: 'The status name, alphabetically.' },
  },
});

/** Ascending or descending. */
export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@InputType({
  description:
    'The order of a session page. Ties are broken by id, so paging is stable for sessions that do not change while paging; ' +
    'a session whose UPDATED_AT, FINISHED_AT or STATUS value changes between two pages can be skipped or listed twice.',
})
export class SessionOrderInput {
  @Field(() => SessionOrderField)
  field!: SessionOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.DESC })
  direction!: OrderDirection;
}

const ORDER_COLUMN: Record<SessionOrderField, SessionOrder['field']> = {
  [SessionOrderField.CREATED_AT]: 'startedAt',
  [SessionOrderField.UPDATED_AT]: 'updatedAt',
  [SessionOrderField.FINISHED_AT]: 'finishedAt',
  [SessionOrderField.STATUS]: 'status',
};

const STATUSES = new Set<string>(Object.values(SessionStatus));

/** The order of `sessions` in domain terms, with the parser of its cursors' sort keys. */
export function toSessionOrder(input: SessionOrderInput): { order: SessionOrder; parseSortKey: SortKeyParser } {
  const order: SessionOrder = { field: ORDER_COLUMN[input.field], direction: input.direction === OrderDirection.ASC ? 'asc' : 'desc' };
  const parseSortKey: SortKeyParser =
    order.field === 'status' ? (key) => (key !== null && STATUSES.has(key) ? key : undefined)
    : order.field === 'finishedAt' ? (key) => (key === null ? null : dateSortKey(key))
    : dateSortKey;
  return { order, parseSortKey };
}
