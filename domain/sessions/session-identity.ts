/** Personal data extracted from the applicant's document, copied onto the session for search and reports. */
export interface SessionIdentity {
  surname?: string;
  givenNames?: string;
  birthDate?: string;
  documentNumber?: string;
  documentType?: string;
  issuingCountry?: string;
  nationality?: string;
  expiryDate?: string;
  sex?: string;
  personalNumber?: string;
}

/** Why the session got its status: enough to replay the decision (DESIGN §3). */
export interface DecisionExplanation {
  scenarioVersion: number;
  warnings: { code: string; effect: string; severity: string; threshold?: number; value?: number }[];
  /** A REVIEW-effect check fired: an operator should look, whatever the status (absent in decisions before it). */
  needsReview?: boolean;
  decidedAt: string;
  decidedBy: 'ENGINE' | 'REVIEW';
  note?: string;
}
