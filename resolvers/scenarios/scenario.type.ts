import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { CheckEffect } from '../../domain/scenarios/scenario-settings.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';

registerEnumType(StepKind, { name: 'StepKind', description: 'What the applicant is asked for in a step.' });
registerEnumType(CheckEffect, { name: 'CheckEffect', description: 'What a check does to the decision when it fires.' });

@ObjectType({ description: 'One configured check of a scenario.' })
export class ScenarioCheck {
  @Field(() => String, { description: 'Warning code from the catalogue.' })
  code!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => CheckEffect)
  effect!: CheckEffect;

  @Field(() => Float, { nullable: true })
  threshold!: number | null;
}

@ObjectType({ description: 'Allowed age range from the document birth date; null bounds are open.' })
export class AgeRange {
  @Field(() => Int, { nullable: true })
  min!: number | null;

  @Field(() => Int, { nullable: true })
  max!: number | null;
}

@ObjectType({ description: "Where and how the tenant's backend is notified." })
export class CallbackSettings {
  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => Boolean)
  encryptBody!: boolean;

  @Field(() => Boolean)
  noPersonalData!: boolean;

  @Field(() => Boolean)
  finalStatusOnly!: boolean;
}

@ObjectType({ description: 'Every tunable property of a scenario version.' })
export class ScenarioSettingsType {
  @Field(() => String, { nullable: true })
  redirectUrl!: string | null;

  @Field(() => ID, { nullable: true })
  customerFaceListId!: string | null;

  @Field(() => ID, { nullable: true })
  blacklistFaceListId!: string | null;

  @Field(() => Int)
  criticalErrorsBeforeBlock!: number;

  @Field(() => Int, { description: 'Days session data is kept; 0 = unlimited.' })
  dataRetentionDays!: number;

  @Field(() => Int)
  imageRetentionDays!: number;

  @Field(() => Int)
  sessionLifetimeMinutes!: number;

  @Field(() => Boolean)
  blockDifferentDocumentsInStep!: boolean;

  @Field(() => Boolean)
  blockSamePersonWithDifferentData!: boolean;

  @Field(() => Boolean, { description: 'A FINAL rejection blocks new sessions of the same externalUserId and flags the same face.' })
  blockFinalRejections!: boolean;

  @Field(() => AgeRange)
  allowedAge!: AgeRange;

  @Field(() => CallbackSettings)
  callback!: CallbackSettings;

  @Field(() => [ScenarioCheck], { description: 'Checks configured explicitly; others use the catalogue defaults.' })
  checks!: ScenarioCheck[];
}

@ObjectType({ description: 'One ordered step of a scenario version.' })
export class ScenarioStepType {
  @Field(() => Int)
  position!: number;

  @Field(() => StepKind)
  kind!: StepKind;

  @Field(() => String, { nullable: true })
  title!: string | null;

  @Field(() => [String])
  documentTypes!: string[];

  @Field(() => [String], { description: 'ICAO three-letter codes; empty = any.' })
  countries!: string[];

  @Field(() => [String])
  checks!: string[];
}

@ObjectType('Scenario', { description: "A tenant's verification recipe, at its current version." })
export class ScenarioType {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'Public id for widgets and links.' })
  schemaId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => Boolean)
  archived!: boolean;

  @Field(() => Date)
  createdAt!: Date;

  @Field(() => ScenarioSettingsType)
  settings!: ScenarioSettingsType;

  @Field(() => [ScenarioStepType])
  steps!: ScenarioStepType[];
}
