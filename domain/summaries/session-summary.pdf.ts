import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { MrzReading, OcrField } from '../sessions/capture-data.js';
import type { DecisionExplanation, SessionIdentity } from '../sessions/session-identity.js';
import type { Warning } from '../warnings/warning.js';

/** DejaVu Sans (npm dejavu-fonts-ttf) covers Latin, Cyrillic and Greek, so every applicant's name renders. */
const require = createRequire(import.meta.url);
const FONT = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');
const THUMBNAIL = 150;

/** What the summary shows (SessionSummaryService.gather). */
export interface SessionSummary {
  tenant: { name: string; slug: string };
  scenario: { name: string; schemaId: string; version: number };
  session: {
    id: string;
    externalUserId: string | null;
    status: string;
    reviewAnswer: string | null;
    rejectType: string | null;
    rejectLabels: string[];
    startedAt: Date;
    finishedAt: Date | null;
    identity: SessionIdentity;
    decision: DecisionExplanation | null;
    warnings: Warning[];
  };
  /** Cosine similarity of the document portrait and the selfie, when both were found. */
  faceMatch: number | null;
  steps: {
    position: number;
    kind: string;
    status: string;
    warnings: Warning[];
    captures: {
      createdAt: Date;
      /** The decrypted image; null once retention deleted it (`imagePurgedAt`). */
      image: Buffer | null;
      imagePurgedAt: Date | null;
      documentType: string | null;
      documentCountry: string | null;
      ocrFields: OcrField[];
      mrz: MrzReading | null;
      warnings: Warning[];
      faces: { age: number | null; liveness: number | null; antiSpoof: number | null }[];
    }[];
  }[];
  audit: { at: Date; actor: string; action: string; details: Record<string, unknown> }[];
}

const score = (value: number | null | undefined) => (value == null ? '—' : value.toFixed(3));

/** Renders the summary as a PDF stream (pdfkit); the caller pipes it to the response. */
export function renderSessionSummary(summary: SessionSummary, generatedAt = new Date()): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: `Verification session ${summary.session.id}`, Producer: 'idgraph' } });
  doc.registerFont('body', FONT);
  doc.registerFont('bold', FONT_BOLD);
  const heading = (text: string) => doc.moveDown(0.6).font('bold').fontSize(13).text(text).font('body').fontSize(9.5).moveDown(0.2);
  const line = (label: string, value: string) => doc.font('bold').text(`${label}: `, { continued: true }).font('body').text(value);
  const warnings = (list: Warning[]) => {
    if (list.length === 0) doc.text('No warnings.');
    for (const w of list) doc.text(`• ${w.code} — severity ${w.severity}, confidence ${score(w.confidence)}: ${w.message}`);
  };

  const { session } = summary;
  const { decision } = session;
  doc.font('bold').fontSize(18).text('Identity verification summary');
  doc.font('body').fontSize(9.5).text(`Generated ${generatedAt.toISOString()} by idgraph`).moveDown(0.5);
  line('Tenant', `${summary.tenant.name} (${summary.tenant.slug})`);
  line('Scenario', `${summary.scenario.name} (${summary.scenario.schemaId}), version ${summary.scenario.version}`);
  line('Session', session.id);
  if (session.externalUserId) line('External user id', session.externalUserId);
  line('Started', session.startedAt.toISOString());
  line('Finished', session.finishedAt?.toISOString() ?? 'not finished');

  heading('Status and decision');
  line('Status', session.status);
  if (session.reviewAnswer) line('Review answer', session.reviewAnswer);
  if (session.rejectType) line('Reject type', session.rejectType);
  if (session.rejectLabels.length) line('Reject labels', session.rejectLabels.join(', '));
  if (decision) {
    line('Decided by', `${decision.decidedBy} at ${decision.decidedAt} under scenario version ${decision.scenarioVersion}`);
    if (decision.note) line('Review note', decision.note);
    doc.text('Explanation:');
    if (decision.warnings.length === 0) doc.text('• no check fired');
    for (const w of decision.warnings) {
      const measured = w.value === undefined ? '' : `, value ${score(w.value)}${w.threshold === undefined ? '' : ` against threshold ${score(w.threshold)}`}`;
      doc.text(`• ${w.code}: effect ${w.effect}, severity ${w.severity}${measured}`);
    }
  } else {
    doc.text('Not decided yet.');
  }

  heading('Applicant');
  const identity = Object.entries(session.identity).filter(([, v]) => v);
  if (identity.length === 0) doc.text('Nothing read from a document.');
  for (const [key, value] of identity) line(key, String(value));
  line('Face match (portrait vs selfie)', score(summary.faceMatch));

  heading('Session warnings');
  warnings(session.warnings);

  for (const step of summary.steps) {
    heading(`Step ${step.position + 1}: ${step.kind} — ${step.status}`);
    warnings(step.warnings);
    for (const [i, capture] of step.captures.entries()) {
      doc.moveDown(0.3).font('bold').text(`Capture ${i + 1}, ${capture.createdAt.toISOString()}`).font('body');
      if (capture.image) {
        if (doc.y + THUMBNAIL > doc.page.height - doc.page.margins.bottom) doc.addPage();
        const top = doc.y;
        doc.image(capture.image, doc.page.margins.left, top, { fit: [THUMBNAIL, THUMBNAIL] });
        doc.y = top + THUMBNAIL + 4;
        doc.x = doc.page.margins.left;
      } else {
        doc.text(capture.imagePurgedAt ? `Image deleted by retention on ${capture.imagePurgedAt.toISOString()}.` : 'Image not stored.');
      }
      if (capture.documentType) line('Document', `${capture.documentType}${capture.documentCountry ? `, ${capture.documentCountry}` : ''}`);
      for (const f of capture.ocrFields) doc.text(`${f.title}: ${f.value} (confidence ${score(f.confidence)}${f.isMismatch ? ', mismatch' : ''}${f.isUnreadable ? ', unreadable' : ''})`);
      if (capture.mrz) {
        line('MRZ', `${capture.mrz.format}, ${capture.mrz.valid ? 'valid' : 'INVALID'}`);
        for (const mrzLine of capture.mrz.lines) doc.text(mrzLine);
        for (const c of capture.mrz.checks) doc.text(`check digit ${c.name}: read ${c.digit}, computed ${c.expected ?? '—'} — ${c.valid ? 'valid' : 'INVALID'}`);
      }
      for (const face of capture.faces) doc.text(`Face: liveness ${score(face.liveness)}, anti-spoof ${score(face.antiSpoof)}, estimated age ${face.age == null ? '—' : Math.round(face.age)}`);
      if (capture.warnings.length) warnings(capture.warnings);
    }
  }

  heading('Audit trail');
  if (summary.audit.length === 0) doc.text('No audited actions.');
  for (const entry of summary.audit) {
    const details = JSON.stringify(entry.details);
    doc.text(`${entry.at.toISOString()}  ${entry.actor}  ${entry.action}${details === '{}' ? '' : `  ${details.length > 300 ? `${details.slice(0, 300)}…` : details}`}`);
  }
  doc.end();
  return doc;
}
