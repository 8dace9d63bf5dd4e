import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Anchor, Badge, Button, Card, Code, Group, Kbd, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { errorMessage } from '../errors.js';
import { graphql } from '../generated/gql.js';
import type { RejectType } from '../generated/graphql.js';
import { reviewQueue, shortcut } from '../review-queue.js';
import { STATUS_COLOUR, formatTime, label } from '../status.js';
import { ReviewSessionDocument } from './SessionDetail.js';

export const ReviewQueueDocument = graphql(`
  query ReviewQueue {
    sessions(first: 100) {
      edges {
        node {
          id
          status
          needsReview
          externalUserId
          startedAt
          scenario {
            name
          }
          warnings {
            code
            severity
          }
        }
      }
    }
  }
`);

/** Awaiting action: sessions the engine asked an operator to review, oldest first, decided from the keyboard. */
export function ReviewQueue() {
  const { data, error, loading, refetch } = useQuery(ReviewQueueDocument, { fetchPolicy: 'network-only' });
  const queue = useMemo(() => reviewQueue(data?.sessions.edges.map((e) => e.node) ?? []), [data]);
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [rejectType, setRejectType] = useState<RejectType>('RETRY');
  const [review, reviewing] = useMutation(ReviewSessionDocument);
  const current = queue[Math.min(index, queue.length - 1)];
  const decide = useRef<(decision: 'APPROVE' | 'REJECT') => void>(() => undefined);
  decide.current = (decision) => {
    if (!current || reviewing.loading) return;
    void review({ variables: { id: current.id, decision, note: note || `${label(decision)}d from the review queue`, rejectType: decision === 'REJECT' ? rejectType : null } })
      .then(() => {
        setNote('');
        return refetch();
      }, () => undefined);
  };
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      const action = shortcut(event);
      if (!action) return;
      event.preventDefault();
      if (action === 'approve') decide.current('APPROVE');
      else if (action === 'reject') decide.current('REJECT');
      else setIndex((i) => Math.max(0, Math.min(queue.length - 1, i + (action === 'next' ? 1 : -1))));
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [queue.length]);

  return (
    <Stack>
      <Title order={1} size="h2">Awaiting action</Title>
      <Text size="sm" c="dimmed">
        <Kbd>a</Kbd> approve · <Kbd>r</Kbd> reject · <Kbd>j</Kbd>/<Kbd>n</Kbd> next · <Kbd>k</Kbd>/<Kbd>p</Kbd> previous
      </Text>
      {error && <Alert color="red" role="alert">{errorMessage(error)}</Alert>}
      {!loading && queue.length === 0 && <Text>Nothing awaits review.</Text>}
      {current && (
        <Card withBorder component="section" aria-labelledby="queue-current" aria-live="polite">
          <Group justify="space-between">
            <Title order={2} size="h4" id="queue-current">
              {Math.min(index, queue.length - 1) + 1} of {queue.length}: <Anchor component={Link} to={`/sessions/${current.id}`}><Code>{current.id}</Code></Anchor>
            </Title>
            <Badge color={STATUS_COLOUR[current.status]}>{label(current.status)}</Badge>
          </Group>
          <Text size="sm">{current.scenario.name}{current.externalUserId ? ` · ${current.externalUserId}` : ''} · started {formatTime(current.startedAt)}</Text>
          <Group gap={4} my="xs">{current.warnings.map((w) => <Badge key={w.code} variant="outline" color="orange">{w.code}</Badge>)}</Group>
          <Stack gap="sm">
            <Textarea label="Note" value={note} onChange={(e) => setNote(e.currentTarget.value)} />
            <Radio.Group label="Reject type" value={rejectType} onChange={(v) => setRejectType(v as RejectType)}>
              <Group><Radio value="RETRY" label="Retry allowed" /><Radio value="FINAL" label="Final" /></Group>
            </Radio.Group>
            <Group>
              <Button color="green" onClick={() => decide.current('APPROVE')} loading={reviewing.loading}>Approve (a)</Button>
              <Button color="red" onClick={() => decide.current('REJECT')} loading={reviewing.loading}>Reject (r)</Button>
              <Button variant="default" onClick={() => setIndex((i) => Math.min(queue.length - 1, i + 1))}>Next (j)</Button>
            </Group>
            {reviewing.error && <Text c="red" role="alert">{errorMessage(reviewing.error)}</Text>}
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
