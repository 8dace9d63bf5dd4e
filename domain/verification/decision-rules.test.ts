import { describe, expect, it } from 'vitest';
import { CheckEffect } from '../scenarios/scenario-settings.js';
import { WARNING_CATALOGUE } from '../warnings/warning-catalogue.js';
import { WarningSeverity, type Warning } from '../warnings/warning.js';
import { decide, isCriticalFailure } from './decision-rules.js';

const now = new Date('2026-11-24T10:00:00Z');
function warning(code: keyof typeof WARNING_CATALOGUE, value?: number): Warning {
  return { code, severity: WARNING_CATALOGUE[code].severity, confidence: 1, message: WARNING_CATALOGUE[code].message, params: value === undefined ? {} : { value } };
}

describe('decision rules', () => {
  it('is SUCCESS and GREEN without warnings', () => {
    const d = decide({ warnings: [], checks: {}, scenarioVersion: 3, now });
    expect(d).toMatchObject({ status: 'SUCCESS', reviewAnswer: 'GREEN', rejectType: null, rejectLabels: [], needsReview: false });
    expect(d.explanation).toEqual({ scenarioVersion: 3, warnings: [], needsReview: false, decidedAt: now.toISOString(), decidedBy: 'ENGINE' });
  });

  it('fails with a RETRY label on a face mismatch, and explains the threshold', () => {
    const d = decide({ warnings: [warning('FACE_MISMATCH', 0.12)], checks: { FACE_MISMATCH: { enabled: true, effect: CheckEffect.REJECT, threshold: 0.35 } }, scenarioVersion: 1, now });
    expect(d).toMatchObject({ status: 'FAILED', reviewAnswer: 'RED', rejectType: 'RETRY', rejectLabels: ['BAD_FACE_MATCHING'] });
    expect(d.explanation.warnings).toEqual([{ code: 'FACE_MISMATCH', effect: 'REJECT', severity: 'HIGH', threshold: 0.35, value: 0.12 }]);
  });

  it('is SUSPICIOUS with a FINAL BLOCKLIST label on a blacklist hit', () => {
    const d = decide({ warnings: [warning('USER_BLACKLISTED')], checks: {}, scenarioVersion: 1, now });
    expect(d).toMatchObject({ status: 'SUSPICIOUS', reviewAnswer: 'RED', rejectType: 'FINAL', rejectLabels: ['BLOCKLIST'] });
  });

  it('lets a fraud signal win over a rejection, and one FINAL label make the rejection FINAL', () => {
    const d = decide({ warnings: [warning('DOCUMENT_EXPIRED'), warning('REPEATED_FACE_DIFFERENT_DATA')], checks: {}, scenarioVersion: 1, now });
    expect(d).toMatchObject({ status: 'SUSPICIOUS', reviewAnswer: 'RED', rejectType: 'FINAL', rejectLabels: ['EXPIRATION_DATE', 'FRAUDULENT_PATTERNS'] });
  });

  it('takes severities from the catalogue, whatever a warning carries', () => {
    const d = decide({ warnings: [{ ...warning('UNDER_18'), severity: WarningSeverity.NONE }], checks: {}, scenarioVersion: 1, now });
    expect(d.explanation.warnings).toEqual([expect.objectContaining({ code: 'UNDER_18', severity: 'HIGH', effect: 'REJECT' })]);
  });

  it('counts one critical error per capture with a HIGH rejecting warning, none for MEDIUM or non-rejecting ones', () => {
    expect(isCriticalFailure([warning('DOCUMENT_EXPIRED'), warning('CHECK_DIGIT_FAILED')], {})).toBe(true);
    expect(isCriticalFailure([warning('MISSING_NAME'), warning('SELFIE_MULTIPLE_FACES')], {})).toBe(false);
    expect(isCriticalFailure([warning('DOCUMENT_EXPIRED')], { DOCUMENT_EXPIRED: { enabled: true, effect: CheckEffect.REVIEW } })).toBe(false);
    expect(isCriticalFailure([warning('USER_BLACKLISTED')], {})).toBe(false);
  });

  it('ignores disabled and IGNORE checks but records them', () => {
    const d = decide({
      warnings: [warning('DOCUMENT_EXPIRED'), warning('UNDER_21')],
      checks: { DOCUMENT_EXPIRED: { enabled: false, effect: CheckEffect.REJECT } },
      scenarioVersion: 1,
      now,
    });
    expect(d.status).toBe('SUCCESS');
    expect(d.explanation.warnings.map((w) => [w.code, w.effect])).toEqual([['DOCUMENT_EXPIRED', 'IGNORE'], ['UNDER_21', 'IGNORE']]);
  });

  it('flags REVIEW checks for an operator without failing the session', () => {
    const d = decide({ warnings: [warning('GLARE_DETECTED')], checks: {}, scenarioVersion: 1, now });
    expect(d).toMatchObject({ status: 'SUCCESS', reviewAnswer: 'GREEN', needsReview: true, explanation: { needsReview: true } });
  });

  it('honours a scenario that turns a default into a rejection', () => {
    const d = decide({ warnings: [warning('UNDER_21')], checks: { UNDER_21: { enabled: true, effect: CheckEffect.REJECT } }, scenarioVersion: 1, now });
    expect(d).toMatchObject({ status: 'FAILED', rejectType: 'FINAL', rejectLabels: ['AGE_REQUIREMENT_MISMATCH'] });
  });

  it('has a severity and a message for every code, and a label for every code that can reject', () => {
    for (const [code, definition] of Object.entries(WARNING_CATALOGUE)) {
      expect(Object.values(WarningSeverity)).toContain(definition.severity);
      expect(definition.message.length, code).toBeGreaterThan(10);
      if (definition.defaultEffect === CheckEffect.REJECT || definition.defaultEffect === CheckEffect.SUSPICIOUS) {
        expect(definition.rejectLabel, code).not.toBeNull();
      }
    }
  });

  it('throws on a code missing from the catalogue (a programming error, never silently ignored)', () => {
    expect(() => decide({ warnings: [{ code: 'NOPE', severity: WarningSeverity.LOW, confidence: 1, message: '' }], checks: {}, scenarioVersion: 1, now })).toThrow(/unknown warning code/);
  });
});
