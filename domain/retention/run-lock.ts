import pg from 'pg';

/** What {@link RunLock.runExclusive} answers: the task's value, or that another runner held the lock. */
export type LockedRun<T> = { ran: true; value: T } | { ran: false };

/** Lets one runner at a time do a task; a runner that finds it taken skips instead of waiting. */
export interface RunLock {
  runExclusive<T>(task: () => Promise<T>): Promise<LockedRun<T>>;
}

/** One runner per process: PGlite serves one process, so a flag is the whole lock. */
export class InProcessRunLock implements RunLock {
  #held = false;

  async runExclusive<T>(task: () => Promise<T>): Promise<LockedRun<T>> {
    if (this.#held) return { ran: false };
    this.#held = true;
    try {
      return { ran: true, value: await task() };
    } finally {
      this.#held = false;
    }
  }
}

/**
 * One runner across every node of a PostgreSQL database: a session-level advisory lock (`pg_try_advisory_lock`) held
 * on a connection of its own, outside the pool, for as long as the task runs. The task's batches commit on pooled
 * connections meanwhile, so no transaction stays open for the run, and a pool of one still has its one connection. A
 * node that dies mid-run drops the lock with its connection.
 */
export class AdvisoryRunLock implements RunLock {
  constructor(
    private readonly url: string,
    /** Any bigint constant naming the task, shared by every node. */
    private readonly key: bigint,
  ) {}

  async runExclusive<T>(task: () => Promise<T>): Promise<LockedRun<T>> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'idgraph-run-lock' });
    await client.connect();
    try {
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [this.key.toString()]);
      if (!rows[0]?.locked) return { ran: false };
      try {
        return { ran: true, value: await task() };
      } finally {
        await client.query('select pg_advisory_unlock($1::bigint)', [this.key.toString()]);
      }
    } finally {
      await client.end();
    }
  }
}
