import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Anchor, Badge, Button, Card, Code, Group, Radio, Select, Stack, Table, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { errorMessage } from '../errors.js';
import { graphql } from '../generated/gql.js';
import type { RejectType, ReviewDecision, SessionDetailQuery } from '../generated/graphql.js';
import { explainWarnings, mrzView, ocrFields, percent } from '../session-view.js';
import { SEVERITY_COLOUR, STATUS_COLOUR, formatTime, label } from '../status.js';

export const SessionDetailDocument = graphql(`
  query SessionDetail($id: ID!, $objectId: String!) {
    session(id: $id) {
      id
      status
      externalUserId
      metadata
      reviewAnswer
      rejectType
      rejectLabels
      needsReview
      attempts
      startedAt
      frozenAt
      finishedAt
      scenarioVersion
      scenario {
        id
        name
        schemaId
      }
      warnings {
        code
        severity
        confidence
        message
        params
      }
      decision {
        scenarioVersion
        decidedBy
        decidedAt
        note
        needsReview
        warnings {
          code
          effect
          severity
          threshold
          value
        }
      }
      faces {
        id
        captureId
        box
        detectorScore
        searchable
        age
        gender
        livenessScore
        createdAt
      }
      steps {
        id
        position
        kind
        status
        attempts
        warnings {
          code
          severity
          message
        }
        captures {
          id
          format
          width
          height
          documentType
          documentCountry
          ocrFields
          mrz
          createdAt
        }
      }
    }
    faceLists {
      id
      name
      kind
    }
    auditLog(objectId: $objectId, first: 50) {
      edges {
        node {
          id
          actorType
          actorId
          action
          details
          createdAt
        }
      }
    }
  }
`);

export const SameFaceDocument = graphql(`
  query SameFace($faceId: ID!) {
    sessionsWithSameFace(faceId: $faceId) {
      sessionId
      faceId
      similarity
    }
  }
`);

export const ReviewSessionDocument = graphql(`
  mutation ReviewSession($id: ID!, $decision: ReviewDecision!, $note: String!, $rejectType: RejectType, $rejectLabels: [String!]) {
    reviewSession(id: $id, decision: $decision, note: $note, rejectType: $rejectType, rejectLabels: $rejectLabels) {
      id
      status
      reviewAnswer
      rejectType
      rejectLabels
      needsReview
    }
  }
`);

export const AddFaceToListDocument = graphql(`
  mutation AddFaceToList($faceId: ID!, $listId: ID!, $reason: String) {
    addFaceToList(faceId: $faceId, listId: $listId, reason: $reason) {
      id
    }
  }
`);

export const RemoveFaceFromListDocument = graphql(`
  mutation RemoveFaceFromList($faceId: ID!, $listId: ID!) {
    removeFaceFromList(faceId: $faceId, listId: $listId)
  }
`);

type SessionData = SessionDetailQuery['session'];

/** Everything the API knows and decided about one session, and the operator's actions on it. */
export function SessionDetail() {
  const { id = '' } = useParams();
  const { data, error, loading, refetch } = useQuery(SessionDetailDocument, { variables: { id, objectId: id } });
  if (loading && !data) return <Text role="status">Loading session…</Text>;
  if (error || !data) return <Alert color="red" role="alert" title="Session not shown">{errorMessage(error)}</Alert>;
  const session = data.session;
  const explained = explainWarnings(session.warnings, session.decision?.warnings ?? []);
  const faceMatch = session.warnings.find((w) => w.code === 'FACE_MISMATCH' || w.code === 'FACE_IDENTICAL');
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1} size="h2">Session <Code>{session.id}</Code></Title>
        <Group gap="xs">
          <Badge size="lg" color={STATUS_COLOUR[session.status]}>{label(session.status)}</Badge>
          {session.reviewAnswer && <Badge size="lg" variant="outline" color={session.reviewAnswer === 'GREEN' ? 'green' : 'red'}>{session.reviewAnswer}</Badge>}
          {session.needsReview && <Badge size="lg" color="violet">Needs review</Badge>}
        </Group>
      </Group>
      <div className="two-columns">
        <Card withBorder component="section" aria-labelledby="summary-title">
          <Title order={2} size="h4" id="summary-title">Summary</Title>
          <Table>
            <Table.Tbody>
              <Row name="Scenario" value={`${session.scenario.name} (version ${session.scenarioVersion})`} />
              <Row name="External user" value={session.externalUserId ?? '—'} />
              <Row name="Started" value={formatTime(session.startedAt)} />
              <Row name="Finished" value={formatTime(session.finishedAt)} />
              <Row name="Attempts" value={String(session.attempts)} />
              <Row name="Decided by" value={session.decision ? `${session.decision.decidedBy}, ${formatTime(session.decision.decidedAt)}` : '—'} />
              {session.decision?.note && <Row name="Note" value={session.decision.note} />}
              {session.rejectType && <Row name="Reject type" value={`${session.rejectType}${session.rejectLabels.length ? ` (${session.rejectLabels.join(', ')})` : ''}`} />}
              <Row name="Face match" value={faceMatch ? `${Number(faceMatch.params.value ?? NaN).toFixed(3)} (${faceMatch.code})` : 'no warning: above the threshold, or no selfie'} />
            </Table.Tbody>
          </Table>
        </Card>
        <ReviewForm session={session} onDone={() => void refetch()} />
      </div>
      <Card withBorder component="section" aria-labelledby="warnings-title">
        <Title order={2} size="h4" id="warnings-title">Warnings and the decision</Title>
        {explained.length === 0 ? <Text c="dimmed">No warnings.</Text> : (
          <div className="table-scroll">
            <Table striped>
              <Table.Thead>
                <Table.Tr><Table.Th>Code</Table.Th><Table.Th>Severity</Table.Th><Table.Th>Confidence</Table.Th><Table.Th>Value</Table.Th><Table.Th>Threshold</Table.Th><Table.Th>Effect</Table.Th><Table.Th>Message</Table.Th></Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {explained.map((w) => (
                  <Table.Tr key={w.code}>
                    <Table.Td><Code>{w.code}</Code></Table.Td>
                    <Table.Td><Badge color={SEVERITY_COLOUR[w.severity as keyof typeof SEVERITY_COLOUR] ?? 'gray'}>{w.severity}</Badge></Table.Td>
                    <Table.Td>{percent(w.confidence)}</Table.Td>
                    <Table.Td>{w.value ?? '—'}</Table.Td>
                    <Table.Td>{w.threshold ?? '—'}</Table.Td>
                    <Table.Td>{w.effect ?? '—'}</Table.Td>
                    <Table.Td>{w.message ?? '—'}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </div>
        )}
      </Card>
      {session.steps.map((step) => (
        <Card withBorder component="section" key={step.id} aria-labelledby={`step-${step.position}`}>
          <Group justify="space-between">
            <Title order={2} size="h4" id={`step-${step.position}`}>Step {step.position + 1}: {label(step.kind)}</Title>
            <Badge>{label(step.status)}</Badge>
          </Group>
          <Text size="sm" c="dimmed">{step.attempts} attempt(s){step.warnings.length ? ` · ${step.warnings.map((w) => w.code).join(', ')}` : ''}</Text>
          {step.captures.map((capture) => <CaptureView key={capture.id} capture={capture} />)}
        </Card>
      ))}
      <Card withBorder component="section" aria-labelledby="faces-title">
        <Title order={2} size="h4" id="faces-title">Faces</Title>
        {session.faces.length === 0 && <Text c="dimmed">No face found.</Text>}
        {session.faces.map((face) => (
          <FaceView key={face.id} face={face} sessionId={session.id} lists={data.faceLists} onChanged={() => void refetch()} />
        ))}
      </Card>
      <Card withBorder component="section" aria-labelledby="audit-title">
        <Title order={2} size="h4" id="audit-title">Activity and audit trail</Title>
        <div className="table-scroll">
          <Table>
            <Table.Thead><Table.Tr><Table.Th>Time</Table.Th><Table.Th>Actor</Table.Th><Table.Th>Action</Table.Th><Table.Th>Details</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {session.steps.flatMap((step) => step.captures.map((c) => (
                <Table.Tr key={c.id}><Table.Td>{formatTime(c.createdAt)}</Table.Td><Table.Td>APPLICANT</Table.Td><Table.Td>capture received (step {step.position + 1})</Table.Td><Table.Td>{c.format} {c.width}×{c.height}</Table.Td></Table.Tr>
              )))}
              {data.auditLog.edges.map(({ node }) => (
                <Table.Tr key={node.id}>
                  <Table.Td>{formatTime(node.createdAt)}</Table.Td>
                  <Table.Td>{node.actorType}{node.actorId ? ` ${node.actorId.slice(0, 8)}` : ''}</Table.Td>
                  <Table.Td>{node.action}</Table.Td>
                  <Table.Td><Code>{JSON.stringify(node.details)}</Code></Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      </Card>
      <Card withBorder component="section" aria-labelledby="json-title">
        <Title order={2} size="h4" id="json-title">The session as JSON</Title>
        <Code block className="json" tabIndex={0} aria-label="Session JSON">{JSON.stringify(session, null, 2)}</Code>
      </Card>
    </Stack>
  );
}

function Row({ name, value }: { name: string; value: string }) {
  return <Table.Tr><Table.Th scope="row">{name}</Table.Th><Table.Td>{value}</Table.Td></Table.Tr>;
}

function CaptureView({ capture }: { capture: SessionData['steps'][number]['captures'][number] }) {
  const fields = ocrFields(capture.ocrFields);
  const mrz = mrzView(capture.mrz);
  return (
    <Stack gap="xs" mt="sm">
      <Text size="sm">{capture.documentType ?? 'Image'}{capture.documentCountry ? ` · ${capture.documentCountry}` : ''} · {capture.width}×{capture.height} · {formatTime(capture.createdAt)}</Text>
      {fields.length > 0 && (
        <div className="table-scroll">
          <Table aria-label="Fields read from the document">
            <Table.Thead><Table.Tr><Table.Th>Field</Table.Th><Table.Th>Value</Table.Th><Table.Th>Confidence</Table.Th><Table.Th>Flags</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {fields.map((f) => (
                <Table.Tr key={f.title}><Table.Td>{f.title}</Table.Td><Table.Td>{f.value}</Table.Td><Table.Td>{percent(f.confidence)}</Table.Td>
                  <Table.Td>{f.flags.map((flag) => <Badge key={flag} color="red" size="xs" mr={4}>{flag}</Badge>)}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
      {mrz && (
        <div>
          <Text fw={600} size="sm">MRZ ({mrz.format}) {mrz.valid ? '— every check digit holds' : '— a check digit fails'}</Text>
          <Code block>{mrz.lines.join('\n')}</Code>
          <Table aria-label="MRZ check digits">
            <Table.Thead><Table.Tr><Table.Th>Check digit</Table.Th><Table.Th>Read</Table.Th><Table.Th>Computed</Table.Th><Table.Th>Result</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {mrz.checks.map((c) => (
                <Table.Tr key={c.name}><Table.Td>{c.name}</Table.Td><Table.Td>{c.digit}</Table.Td><Table.Td>{c.expected ?? '—'}</Table.Td>
                  <Table.Td><Badge color={c.valid ? 'green' : 'red'}>{c.valid ? 'valid' : 'invalid'}</Badge></Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </div>
      )}
    </Stack>
  );
}

function FaceView({ face, sessionId, lists, onChanged }: {
  face: SessionData['faces'][number];
  sessionId: string;
  lists: SessionDetailQuery['faceLists'];
  onChanged: () => void;
}) {
  const same = useQuery(SameFaceDocument, { variables: { faceId: face.id } });
  const others = (same.data?.sessionsWithSameFace ?? []).filter((s) => s.sessionId !== sessionId);
  const [listId, setListId] = useState<string | null>(lists.find((l) => l.kind === 'BLACKLIST')?.id ?? null);
  const [reason, setReason] = useState('');
  const [add, added] = useMutation(AddFaceToListDocument);
  const [remove, removed] = useMutation(RemoveFaceFromListDocument);
  const [done, setDone] = useState<string | null>(null);
  async function act(kind: 'add' | 'remove') {
    if (!listId) return;
    const variables = { faceId: face.id, listId };
    const ok = kind === 'add'
      ? await add({ variables: { ...variables, reason: reason || null } }).then(() => true, () => false)
      : await remove({ variables }).then(() => true, () => false);
    if (ok) {
      setDone(kind === 'add' ? 'Face added to the list.' : 'Face removed from the list.');
      onChanged();
    }
  }
  const failure = added.error ?? removed.error;
  return (
    <Stack gap="xs" mt="sm">
      <Text size="sm">
        Face <Code>{face.id.slice(0, 8)}</Code> · detector {percent(face.detectorScore)} · liveness {percent(face.livenessScore)} · age {face.age == null ? '—' : Math.round(face.age)} · gender {face.gender ?? '—'}
      </Text>
      <div aria-live="polite">
        {others.length === 0 ? <Text size="sm" c="dimmed">No other session shows this face.</Text> : (
          <Text size="sm">
            Same face in:{' '}
            {others.map((s) => (
              <Anchor key={s.sessionId} component={Link} to={`/sessions/${s.sessionId}`} className="suspect" mr="xs" data-testid="same-face-session">
                {s.sessionId} ({percent(s.similarity)})
              </Anchor>
            ))}
          </Text>
        )}
      </div>
      <Group align="end">
        <Select label="Face list" data={lists.map((l) => ({ value: l.id, label: `${l.name} (${label(l.kind)})` }))} value={listId} onChange={setListId} />
        <TextInput label="Reason" value={reason} onChange={(e) => setReason(e.currentTarget.value)} />
        <Button color="red" onClick={() => void act('add')} loading={added.loading} disabled={!listId}>Add to list</Button>
        <Button variant="default" onClick={() => void act('remove')} loading={removed.loading} disabled={!listId}>Remove from list</Button>
      </Group>
      {failure && <Text c="red" role="alert">{errorMessage(failure)}</Text>}
      {done && !failure && <Text c="green" role="status">{done}</Text>}
    </Stack>
  );
}

/** The operator's manual decision: approve, or reject (RETRY lets the applicant try again, FINAL does not). */
export function ReviewForm({ session, onDone }: { session: Pick<SessionData, 'id' | 'status'>; onDone: () => void }) {
  const [decision, setDecision] = useState<ReviewDecision>('APPROVE');
  const [rejectType, setRejectType] = useState<RejectType>('RETRY');
  const [labels, setLabels] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [review, { loading, error, data }] = useMutation(ReviewSessionDocument);
  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const reject = decision === 'REJECT';
    const ok = await review({ variables: { id: session.id, decision, note, rejectType: reject ? rejectType : null, rejectLabels: reject ? labels : null } }).then(() => true, () => false);
    if (ok) onDone();
  }
  return (
    <Card withBorder component="form" onSubmit={(e: React.FormEvent) => void submit(e)} aria-labelledby="review-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="review-title">Manual review</Title>
        <Radio.Group label="Decision" value={decision} onChange={(v) => setDecision(v as ReviewDecision)}>
          <Group><Radio value="APPROVE" label="Approve" /><Radio value="REJECT" label="Reject" /></Group>
        </Radio.Group>
        {decision === 'REJECT' && (
          <>
            <Radio.Group label="Reject type" value={rejectType} onChange={(v) => setRejectType(v as RejectType)}>
              <Group><Radio value="RETRY" label="Retry allowed" /><Radio value="FINAL" label="Final" /></Group>
            </Radio.Group>
            <TagsInput label="Reject labels" value={labels} onChange={setLabels} placeholder="Type a label, press Enter" />
          </>
        )}
        <Textarea label="Note" required value={note} onChange={(e) => setNote(e.currentTarget.value)} />
        <Button type="submit" loading={loading}>Submit review</Button>
        {error && <Text c="red" role="alert">{errorMessage(error)}</Text>}
        {data && !error && <Text c="green" role="status">Reviewed: {label(data.reviewSession.status)}</Text>}
      </Stack>
    </Card>
  );
}
