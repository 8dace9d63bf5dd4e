import { BoundedJSONObject } from '../common/json-object.scalar.js';
import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { RejectType, ReviewAnswer, SessionStatus, StepStatus } from '../../domain/sessions/session-status.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';
import { WarningSeverity } from '../../domain/warnings/warning.js';
import { connectionOf } from '../common/connection.js';

registerEnumType(SessionStatus, { name: 'SessionStatus' });
registerEnumType(ReviewAnswer, { name: 'ReviewAnswer', description: 'GREEN when verified, RED otherwise (reference 003).' });
registerEnumType(RejectType, { name: 'RejectType', description: 'RETRY: the applicant may try again; FINAL: blocked.' });
registerEnumType(StepStatus, { name: 'StepStatus' });
registerEnumType(WarningSeverity, { name: 'WarningSeverity' });

@ObjectType({ description: 'A finding of a check, from the warning catalogue.' })
export class WarningType {
  @Field(() => String)
  code!: string;

  @Field(() => WarningSeverity)
  severity!: WarningSeverity;

  @Field(() => Float, { description: 'How sure the check is, 0..1.' })
  confidence!: number;

  @Field(() => String)
  message!: string;

  @Field(() => BoundedJSONObject, { description: 'Score, threshold, field… that explain the warning.' })
  params!: Record<string, unknown>;
}

@ObjectType({ description: 'How one warning weighed in a decision.' })
export class DecisionWarningType {
  @Field(() => String)
  code!: string;

  @Field(() => String, { description: 'REJECT, SUSPICIOUS, REVIEW or IGNORE, as configured when decided.' })
  effect!: string;

  @Field(() => WarningSeverity)
  severity!: WarningSeverity;

  @Field(() => Float, { nullable: true })
  threshold!: number | null;

  @Field(() => Float, { nullable: true })
  value!: number | null;
}

@ObjectType({ description: 'Why a session has its status: the warnings, their effects and thresholds, the scenario version.' })
export class DecisionType {
  @Field(() => Int)
  scenarioVersion!: number;

  @Field(() => String, { description: 'ENGINE or REVIEW.' })
  decidedBy!: string;

  @Field(() => Date)
  decidedAt!: Date;

  @Field(() => String, { nullable: true })
  note!: string | null;

  @Field(() => Boolean, { description: 'A REVIEW-effect check fired when this decision was taken.' })
  needsReview!: boolean;

  @Field(() => [DecisionWarningType])
  warnings!: DecisionWarningType[];
}

@ObjectType('Capture', { description: 'One upload for a step, with what was read from it.' })
export class CaptureType {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  format!: string;

  @Field(() => Int)
  width!: number;

  @Field(() => Int)
  height!: number;

  @Field(() => Int)
  byteSize!: number;

  @Field(() => String, { nullable: true })
  documentType!: string | null;

  @Field(() => String, { nullable: true })
  documentCountry!: string | null;

  @Field(() => [BoundedJSONObject], { description: 'OCR fields: title, value, valueUTC, confidence, isMismatch, isUnreadable, isEdited.' })
  ocrFields!: Record<string, unknown>[];

  @Field(() => BoundedJSONObject, { nullable: true, description: 'The machine-readable zone with each check digit result.' })
  mrz!: Record<string, unknown> | null;

  @Field(() => [WarningType])
  warnings!: WarningType[];

  @Field(() => Date)
  createdAt!: Date;

  /** Whether the encrypted image is still stored (retention may have purged it); not a field, read by `imageUrl`. */
  hasImage!: boolean;
}

@ObjectType('SessionStep', { description: 'The state of one scenario step inside a session.' })
export class SessionStepType {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  position!: number;

  @Field(() => StepKind)
  kind!: StepKind;

  @Field(() => StepStatus)
  status!: StepStatus;

  @Field(() => Int)
  attempts!: number;

  @Field(() => [WarningType])
  warnings!: WarningType[];
}

@ObjectType('Session', { description: "One applicant's verification." })
export class SessionType {
  @Field(() => ID)
  id!: string;

  @Field(() => SessionStatus)
  status!: SessionStatus;

  @Field(() => String, { nullable: true })
  externalUserId!: string | null;

  @Field(() => BoundedJSONObject)
  metadata!: Record<string, unknown>;

  @Field(() => ReviewAnswer, { nullable: true })
  reviewAnswer!: ReviewAnswer | null;

  @Field(() => RejectType, { nullable: true })
  rejectType!: RejectType | null;

  @Field(() => [String])
  rejectLabels!: string[];

  @Field(() => [WarningType])
  warnings!: WarningType[];

  @Field(() => DecisionType, { nullable: true })
  decision!: DecisionType | null;

  @Field(() => Boolean, { description: 'The engine asks an operator to look (a REVIEW-effect check fired), whatever the status; cleared by a review.' })
  needsReview!: boolean;

  @Field(() => Int)
  attempts!: number;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => Date, { description: 'Uploads are refused from this moment on.' })
  frozenAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  /** Not GraphQL fields: the relations are resolved through loaders. */
  scenarioId!: string;
  scenarioVersionId!: string;
}

@ObjectType({ description: 'The scenario a session runs, by name.' })
export class ScenarioSummary {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  schemaId!: string;

  @Field(() => String)
  name!: string;
}

@ObjectType({ description: 'A new session and the token the applicant uses for it.' })
export class CreateSessionPayload {
  @Field(() => SessionType)
  session!: SessionType;

  @Field(() => String, { description: 'Applicant token: uploads to and status of this session only; expires with it.' })
  applicantToken!: string;
}

/** `SessionConnection`: a page of sessions. */
export const SessionConnection = connectionOf(SessionType, 'Session');
