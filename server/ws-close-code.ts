/**
 * Close codes idgraph adds to graphql-ws's own (`CloseCode`: 4400 bad message, 4401, 4403, 4408, 4409, 4429), in the
 * 4000–4999 range RFC 6455 §7.4.2 leaves to applications. Clients tell them apart to decide whether reconnecting helps.
 */
export enum SocketCloseCode {
  /** This address holds `IDGRAPH_WS_MAX_SOCKETS_PER_IP` sockets already: close one before opening another. */
  TooManySockets = 4430,
  /**
   * The client reads slower than its subscriptions produce: more than `IDGRAPH_WS_MAX_BUFFERED_BYTES` waited unsent for
   * longer than `IDGRAPH_WS_SLOW_CLIENT_GRACE_MS`. Reconnect and read faster (or subscribe to less).
   */
  SlowConsumer = 4431,
}
