import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { SessionStatus } from '../../domain/sessions/session-status.js';

@InputType()
export class CreateSessionInput {
  @Field(() => ID, { description: 'Scenario id or public schema id (`sch_…`).' })
  scenarioId!: string;

  @Field(() => String, { nullable: true, description: "The tenant's own id for the applicant." })
  externalUserId?: string | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Free-form data for the tenant (at most 8 KiB).' })
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
