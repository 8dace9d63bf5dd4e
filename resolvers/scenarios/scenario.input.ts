import { Field, Float, InputType, Int } from 'type-graphql';
import { CheckEffect } from '../../domain/scenarios/scenario-settings.js';
import type { ScenarioInputRaw } from '../../domain/scenarios/scenario-input.js';
import { StepKind } from '../../domain/scenarios/scenario-step.entity.js';

@InputType({ description: 'One check of a scenario.' })
export class ScenarioCheckInput {
  @Field(() => String)
  code!: string;

  @Field(() => Boolean)
  enabled!: boolean;

  @Field(() => CheckEffect)
  effect!: CheckEffect;

  @Field(() => Float, { nullable: true })
  threshold?: number | null;
}

@InputType()
export class AgeRangeInput {
  @Field(() => Int, { nullable: true })
  min?: number | null;

  @Field(() => Int, { nullable: true })
  max?: number | null;
}

@InputType()
export class CallbackSettingsInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => Boolean, { nullable: true })
  encryptBody?: boolean;

  @Field(() => Boolean, { nullable: true })
  noPersonalData?: boolean;

  @Field(() => Boolean, { nullable: true })
  finalStatusOnly?: boolean;
}

@InputType({ description: 'Scenario settings; omitted fields take their defaults.' })
export class ScenarioSettingsInput {
  @Field(() => String, { nullable: true })
  redirectUrl?: string | null;

  @Field(() => String, { nullable: true })
  customerFaceListId?: string | null;

  @Field(() => String, { nullable: true })
  blacklistFaceListId?: string | null;

  @Field(() => Int, { nullable: true })
  criticalErrorsBeforeBlock?: number;

  @Field(() => Int, { nullable: true })
  dataRetentionDays?: number;

  @Field(() => Int, { nullable: true })
  imageRetentionDays?: number;

  @Field(() => Int, { nullable: true })
  sessionLifetimeMinutes?: number;

  @Field(() => Boolean, { nullable: true })
  blockDifferentDocumentsInStep?: boolean;

  @Field(() => Boolean, { nullable: true })
  blockSamePersonWithDifferentData?: boolean;

  @Field(() => Boolean, { nullable: true })
  blockFinalRejections?: boolean;

  @Field(() => AgeRangeInput, { nullable: true })
  allowedAge?: AgeRangeInput;

  @Field(() => CallbackSettingsInput, { nullable: true })
  callback?: CallbackSettingsInput;

  @Field(() => [ScenarioCheckInput], { nullable: true })
  checks?: ScenarioCheckInput[];
}

@InputType()
export class ScenarioStepInput {
  @Field(() => StepKind)
  kind!: StepKind;

  @Field(() => String, { nullable: true })
  title?: string | null;

  @Field(() => [String], { nullable: true, description: 'PASSPORT, ID_CARD, RESIDENCE_PERMIT, VISA, DRIVING_LICENCE.' })
  documentTypes?: string[];

  @Field(() => [String], { nullable: true })
  countries?: string[];

  @Field(() => [String], { nullable: true })
  checks?: string[];
}

@InputType({ description: 'The full content of a scenario; an update writes it as the next version.' })
export class ScenarioInput {
  @Field(() => String)
  name!: string;

  @Field(() => [ScenarioStepInput])
  steps!: ScenarioStepInput[];

  @Field(() => ScenarioSettingsInput, { nullable: true })
  settings?: ScenarioSettingsInput;
}

/** GraphQL input → the domain's raw input (validated there). Nulls mean "default". */
export function toScenarioInput(input: ScenarioInput): ScenarioInputRaw {
  const { checks, allowedAge, callback, ...settings } = input.settings ?? {};
  return {
    name: input.name,
    steps: input.steps.map((s) => withoutNullish({ ...s })) as ScenarioInputRaw['steps'],
    settings: withoutNullish({
      ...settings,
      allowedAge: allowedAge ? { min: allowedAge.min ?? null, max: allowedAge.max ?? null } : undefined,
      callback: callback ? withoutNullish({ ...callback }) : undefined,
      checks: checks
        ? Object.fromEntries(checks.map((c) => [c.code, withoutNullish({ enabled: c.enabled, effect: c.effect, threshold: c.threshold })]))
        : undefined,
    }) as ScenarioInputRaw['settings'],
  };
}

function withoutNullish<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null)) as T;
}
