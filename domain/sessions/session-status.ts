/** Final and intermediate statuses of a session (DESIGN §3, reference 000). */
export enum SessionStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  SUCCESS = 'SUCCESS',
  FAILED = 'FAILED',
  SUSPICIOUS = 'SUSPICIOUS',
  IDLE = 'IDLE',
  EXPIRED = 'EXPIRED',
}

/** Review answer (reference 003). */
export enum ReviewAnswer {
  GREEN = 'GREEN',
  RED = 'RED',
}

/** Whether a rejected applicant may try again (reference 003). */
export enum RejectType {
  RETRY = 'RETRY',
  FINAL = 'FINAL',
}

/** State of one step of a session. */
export enum StepStatus {
  PENDING = 'PENDING',
  PASSED = 'PASSED',
  FAILED = 'FAILED',
  SUSPICIOUS = 'SUSPICIOUS',
  REVIEW = 'REVIEW',
}
