import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { SessionStatus } from '../../domain/sessions/session-status.js';
import { WarningType } from '../sessions/session.type.js';

/** Kinds of live session events (the bus's internal topics are not exposed). */
export enum SessionEventKind {
  SESSION_CREATED = 'SESSION_CREATED',
  CAPTURE_RECEIVED = 'CAPTURE_RECEIVED',
  STEP_EVALUATED = 'STEP_EVALUATED',
  SESSION_DECIDED = 'SESSION_DECIDED',
  SESSION_REVIEWED = 'SESSION_REVIEWED',
  SESSION_STATUS_CHANGED = 'SESSION_STATUS_CHANGED',
  /** The session was erased (`deleteSession` or retention): only its ids remain. */
  SESSION_DELETED = 'SESSION_DELETED',
}
registerEnumType(SessionEventKind, { name: 'SessionEventKind' });

@ObjectType({ description: 'One line of the live log.' })
export class SessionEventType {
  @Field(() => SessionEventKind)
  kind!: SessionEventKind;

  @Field(() => ID)
  sessionId!: string;

  @Field(() => ID)
  scenarioId!: string;

  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field(() => Int, { nullable: true, description: 'Step position, for capture and step events.' })
  step!: number | null;

  @Field(() => [WarningType])
  warnings!: WarningType[];

  @Field(() => Date)
  at!: Date;
}

@InputType()
export class SessionEventFilter {
  @Field(() => ID, { nullable: true })
  scenarioId?: string;

  @Field(() => [SessionStatus], { nullable: true })
  statuses?: SessionStatus[];
}
