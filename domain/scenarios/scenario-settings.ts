/** What a check does to the decision when it fires (DESIGN §3). */
export enum CheckEffect {
  REJECT = 'REJECT',
  SUSPICIOUS = 'SUSPICIOUS',
  REVIEW = 'REVIEW',
  IGNORE = 'IGNORE',
}

/** Configuration of one warning code inside a scenario. */
export interface CheckConfig {
  enabled: boolean;
  effect: CheckEffect;
  /** Check-specific threshold (face similarity, anti-spoof score, blur, …); absent = the catalogue's default. */
  threshold?: number;
}

/** Where and how the tenant's backend is told about a session (reference 001, scenario editor). */
export interface CallbackSettings {
  url: string | null;
  encryptBody: boolean;
  noPersonalData: boolean;
  finalStatusOnly: boolean;
}

/** Every tunable property of one scenario version (DESIGN §2, reference 001). */
export interface ScenarioSettings {
  redirectUrl: string | null;
  customerFaceListId: string | null;
  blacklistFaceListId: string | null;
  /** High-severity failures after which the session is blocked. */
  criticalErrorsBeforeBlock: number;
  /** Days structured results are kept; 0 = unlimited. */
  dataRetentionDays: number;
  /** Days images are kept. @default 183 */
  imageRetentionDays: number;
  /** Minutes after start at which an unfinished session is frozen. */
  sessionLifetimeMinutes: number;
  blockDifferentDocumentsInStep: boolean;
  blockSamePersonWithDifferentData: boolean;
  /**
   * A FINAL rejection is final (reference 003: finally rejected applicants cannot attempt verification again): new
   * sessions for the same `externalUserId` are refused and the same face is flagged. Versions stored before the
   * setting existed read it as on. @default true
   */
  blockFinalRejections: boolean;
  allowedAge: { min: number | null; max: number | null };
  callback: CallbackSettings;
  /** Per warning code; codes not listed use the catalogue's defaults. */
  checks: Record<string, CheckConfig>;
}
