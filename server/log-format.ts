/** How log lines are written: `pretty` for a person at a terminal (pino-pretty), `json` for log collectors. */
export type LogFormat = 'pretty' | 'json';

/**
 * The format of a node's logs: the one configured (`IDGRAPH_LOG_FORMAT`) or, unset, `pretty` when the logs go to a
 * terminal and `json` otherwise, so `npm start` is readable while a container or a pipe still gets one JSON object
 * per line (pino's format, what log shippers parse).
 */
export function chooseLogFormat(configured: LogFormat | undefined, toTerminal: boolean): LogFormat {
  return configured ?? (toTerminal ? 'pretty' : 'json');
}
