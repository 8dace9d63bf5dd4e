import { z } from 'zod';
import { isWarningCode } from '../warnings/warning-catalogue.js';
import { CheckEffect, type ScenarioSettings } from './scenario-settings.js';
import { StepKind } from './scenario-step.entity.js';

const warningCode = z.string().refine(isWarningCode, { message: 'unknown warning code' });
const httpUrl = z.url({ protocol: /^https?$/ }).max(2048);
/** ICAO 9303 three-letter codes (D for Germany is the one single-letter code, padded `D<<` in the MRZ). */
const country = z.string().regex(/^([A-Z]{3}|D)$/, 'an ICAO three-letter country code');

const checkConfig = z.object({
  enabled: z.boolean(),
  effect: z.enum(CheckEffect),
  threshold: z.number().min(0).max(1).optional(),
});

const step = z.object({
  kind: z.enum(StepKind),
  title: z.string().trim().max(200).nullable().default(null),
  documentTypes: z.array(z.enum(['PASSPORT', 'ID_CARD', 'RESIDENCE_PERMIT', 'VISA', 'DRIVING_LICENCE'])).default([]),
  countries: z.array(country).default([]),
  checks: z.array(warningCode).default([]),
});

const settings = z
  .object({
    redirectUrl: httpUrl.nullable().default(null),
    customerFaceListId: z.uuid().nullable().default(null),
    blacklistFaceListId: z.uuid().nullable().default(null),
    criticalErrorsBeforeBlock: z.int().min(1).max(100).default(3),
    dataRetentionDays: z.int().min(0).max(36500).default(0),
    imageRetentionDays: z.int().min(1).max(36500).default(183),
    sessionLifetimeMinutes: z.int().min(1).max(60 * 24 * 90).default(60 * 24),
    blockDifferentDocumentsInStep: z.boolean().default(true),
    blockSamePersonWithDifferentData: z.boolean().default(true),
    blockFinalRejections: z.boolean().default(true),
    allowedAge: z
      .object({ min: z.int().min(0).max(150).nullable(), max: z.int().min(0).max(150).nullable() })
      .refine((a) => a.min === null || a.max === null || a.min <= a.max, 'min must not exceed max')
      .default({ min: 18, max: null }),
    callback: z
      .object({
        url: httpUrl.nullable().default(null),
        encryptBody: z.boolean().default(false),
        noPersonalData: z.boolean().default(false),
        finalStatusOnly: z.boolean().default(false),
      })
      .default({ url: null, encryptBody: false, noPersonalData: false, finalStatusOnly: false }),
    checks: z
      .record(z.string(), checkConfig)
      .superRefine((checks, ctx) => {
        for (const code of Object.keys(checks)) {
          if (!isWarningCode(code)) ctx.addIssue({ code: 'custom', message: `unknown warning code ${code}`, path: [code] });
        }
      })
      .default({}),
  })
  .refine((s) => s.imageRetentionDays <= s.dataRetentionDays || s.dataRetentionDays === 0, {
    message: 'images cannot be kept longer than the session data',
    path: ['imageRetentionDays'],
  });

/** What a tenant sends to create or change a scenario; every setting has a default (reference 001). */
export const scenarioInputSchema = z.object({
  name: z.string().trim().min(1).max(200),
  settings: settings.default(settings.parse({})),
  steps: z.array(step).min(1, 'a scenario needs at least one step').max(10),
});

/** Parsed scenario input. */
export type ScenarioInput = z.infer<typeof scenarioInputSchema>;
/** Raw scenario input (before defaults). */
export type ScenarioInputRaw = z.input<typeof scenarioInputSchema>;

/** Settings are stored as a plain document; this keeps the stored shape tied to the validated one. */
export type ValidatedSettings = ScenarioInput['settings'] & ScenarioSettings;
