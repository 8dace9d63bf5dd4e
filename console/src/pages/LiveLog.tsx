import { useQuery, useSubscription } from '@apollo/client/react';
import { Badge, Card, Group, MultiSelect, Select, Stack, Text, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { graphql } from '../generated/gql.js';
import type { SessionStatus } from '../generated/graphql.js';
import { applyEvent, matches, startOfToday, type Tile } from '../live-log.js';
import { STATUSES, STATUS_COLOUR, formatTime, label } from '../status.js';

export const LiveLogSessionsDocument = graphql(`
  query LiveLogSessions($filter: SessionFilterInput) {
    scenarios(includeArchived: true) {
      id
      name
    }
    sessions(first: 50, filter: $filter) {
      edges {
        node {
          id
          status
          externalUserId
          needsReview
          startedAt
          finishedAt
          scenario {
            id
            name
          }
          warnings {
            code
          }
        }
      }
    }
  }
`);

export const TodayCountsDocument = graphql(`
  query TodayCounts($from: DateTimeISO!, $scenarioId: ID) {
    inProgress: sessions(first: 0, filter: { startedFrom: $from, scenarioId: $scenarioId, statuses: [IN_PROGRESS] }) { totalCount }
    success: sessions(first: 0, filter: { startedFrom: $from, scenarioId: $scenarioId, statuses: [SUCCESS] }) { totalCount }
    failed: sessions(first: 0, filter: { startedFrom: $from, scenarioId: $scenarioId, statuses: [FAILED] }) { totalCount }
    suspicious: sessions(first: 0, filter: { startedFrom: $from, scenarioId: $scenarioId, statuses: [SUSPICIOUS] }) { totalCount }
    idle: sessions(first: 0, filter: { startedFrom: $from, scenarioId: $scenarioId, statuses: [IDLE] }) { totalCount }
    expired: sessions(first: 0, filter: { startedFrom: $from, scenarioId: $scenarioId, statuses: [EXPIRED] }) { totalCount }
  }
`);

export const LiveSessionEventsDocument = graphql(`
  subscription LiveSessionEvents($filter: SessionEventFilter) {
    sessionEvents(filter: $filter) {
      kind
      sessionId
      scenarioId
      status
      step
      warnings {
        code
      }
      at
    }
  }
`);

/** The live log: the newest sessions as tiles, kept current by `sessionEvents` without reloading. */
export function LiveLog() {
  const [scenarioId, setScenarioId] = useState<string | null>(null);
  const [statuses, setStatuses] = useState<SessionStatus[]>([]);
  const filter = useMemo(() => ({ ...(scenarioId ? { scenarioId } : {}), ...(statuses.length ? { statuses } : {}) }), [scenarioId, statuses]);
  const page = useQuery(LiveLogSessionsDocument, { variables: { filter }, fetchPolicy: 'network-only' });
  const from = useMemo(() => startOfToday(), []);
  const counts = useQuery(TodayCountsDocument, { variables: { from, scenarioId }, fetchPolicy: 'network-only' });
  const [tiles, setTiles] = useState<Tile[]>([]);
  const scenarioNames = useMemo(() => new Map((page.data?.scenarios ?? []).map((s) => [s.id, s.name])), [page.data]);

  useEffect(() => {
    if (!page.data) return;
    setTiles(
      page.data.sessions.edges.map(({ node }) => ({
        sessionId: node.id,
        scenarioId: node.scenario.id,
        scenarioName: node.scenario.name,
        status: node.status,
        externalUserId: node.externalUserId,
        needsReview: node.needsReview,
        warningCodes: node.warnings.map((w) => w.code),
        startedAt: node.startedAt,
        at: node.finishedAt ?? node.startedAt,
      })),
    );
  }, [page.data]);

  // Counters follow the events, at most once a second.
  const pendingCount = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => void (pendingCount.current && clearTimeout(pendingCount.current)), []);
  const { error: liveError } = useSubscription(LiveSessionEventsDocument, {
    variables: { filter },
    onData: ({ data }) => {
      const event = data.data?.sessionEvents;
      if (!event) return;
      setTiles((current) => applyEvent(current, event).filter((tile) => matches(tile, { scenarioId, statuses })));
      pendingCount.current ??= setTimeout(() => {
        pendingCount.current = null;
        void counts.refetch();
      }, 1000);
    },
  });

  const scenarioOptions = (page.data?.scenarios ?? []).map((s) => ({ value: s.id, label: s.name }));
  const today = counts.data;
  const todayCounts: [SessionStatus, number | undefined][] = [
    ['IN_PROGRESS', today?.inProgress.totalCount],
    ['SUCCESS', today?.success.totalCount],
    ['FAILED', today?.failed.totalCount],
    ['SUSPICIOUS', today?.suspicious.totalCount],
    ['IDLE', today?.idle.totalCount],
    ['EXPIRED', today?.expired.totalCount],
  ];
  return (
    <Stack>
      <Title order={1} size="h2">Live log</Title>
      <section aria-label="Sessions today by status">
        <Group gap="xs">
          {todayCounts.map(([status, count]) => (
            <Badge key={status} color={STATUS_COLOUR[status]} variant="light" size="lg" data-testid={`today-${status}`}>
              {label(status)}: {count ?? '…'}
            </Badge>
          ))}
        </Group>
      </section>
      <Group align="end">
        <Select label="Scenario" placeholder="All scenarios" clearable data={scenarioOptions} value={scenarioId} onChange={setScenarioId} />
        <MultiSelect label="Status" placeholder="All statuses" clearable data={STATUSES.map((s) => ({ value: s, label: label(s) }))} value={statuses} onChange={(v) => setStatuses(v as SessionStatus[])} />
      </Group>
      {liveError && <Text c="red" role="status">Live updates interrupted: {liveError.message}</Text>}
      {page.error && <Text c="red" role="alert">{page.error.message}</Text>}
      <div className="tiles" role="feed" aria-label="Sessions, newest first" aria-busy={page.loading}>
        {tiles.map((tile) => (
          <SessionTile key={tile.sessionId} tile={tile} scenarioName={tile.scenarioName ?? scenarioNames.get(tile.scenarioId)} />
        ))}
      </div>
      {!page.loading && tiles.length === 0 && <Text c="dimmed">No sessions yet: they appear here as they start.</Text>}
    </Stack>
  );
}

function SessionTile({ tile, scenarioName }: { tile: Tile; scenarioName: string | undefined }) {
  const colour = STATUS_COLOUR[tile.status];
  return (
    <Card withBorder padding="sm" component="article" className="tile" aria-labelledby={`tile-${tile.sessionId}`}
      style={{ '--tile-colour': `var(--mantine-color-${colour}-6)` } as React.CSSProperties} data-session-id={tile.sessionId}>
      <Group justify="space-between" wrap="nowrap">
        <Link to={`/sessions/${tile.sessionId}`} id={`tile-${tile.sessionId}`}>
          <Text ff="monospace" size="sm" component="span">{tile.sessionId.slice(0, 8)}</Text>
        </Link>
        <Badge color={colour}>{label(tile.status)}</Badge>
      </Group>
      <Text size="sm">{scenarioName ?? 'Scenario'}{tile.externalUserId ? ` · ${tile.externalUserId}` : ''}</Text>
      <Text size="xs" c="dimmed"><time dateTime={tile.at}>{formatTime(tile.at)}</time>{tile.lastEvent ? ` · ${label(tile.lastEvent)}` : ''}</Text>
      {tile.warningCodes.length > 0 && (
        <Group gap={4} mt={4} aria-label="Warnings">
          {tile.warningCodes.map((code) => <Badge key={code} size="xs" color="orange" variant="outline">{code}</Badge>)}
        </Group>
      )}
      {tile.needsReview && <Badge size="xs" color="violet" mt={4}>Needs review</Badge>}
    </Card>
  );
}
