import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestListener } from '@apollo/server';
import { IdempotencyError, type IdempotencyService, type KeyOwner } from '../domain/idempotency/idempotency.service.js';
import { ApiErrorCode } from './errors.js';
import type { Principal, RequestContext } from './context.js';

/** The caller a key belongs to: a partner token, an operator (whatever the access token) or an applicant session. */
function keyOwner(principal: Exclude<Principal, { kind: 'anonymous' }>): KeyOwner {
  const id = principal.kind === 'token' ? principal.tokenId : principal.kind === 'user' ? principal.userId : principal.sessionId;
  return { tenantId: principal.tenantId, principal: `${principal.kind}:${id}` };
}

/**
 * Honours `Idempotency-Key` on mutations of authenticated callers: a retried request gets the first answer back
 * instead of creating a second session, scenario or batch of links (IdempotencyService). Keys are the caller's own:
 * the replay happens here, before type-graphql checks the operation's scopes, so only the caller who got an answer
 * can get it again. Multipart uploads are not covered: their file is not part of what the key can be compared
 * against.
 */
export function idempotencyPlugin(service: IdempotencyService): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart({ request }): Promise<GraphQLRequestListener<RequestContext> | void> {
      const key = request.http?.headers.get('idempotency-key');
      if (!key || (request.http?.headers.get('content-type') ?? '').startsWith('multipart/')) return;
      let claimed: { owner: KeyOwner; recordId: string } | undefined;
      return {
        async responseForOperation({ operation, contextValue, request: req }) {
          const { principal } = contextValue;
          if (operation.operation !== 'mutation' || principal.kind === 'anonymous') return null;
          const owner = keyOwner(principal);
          let claim;
          try {
            claim = await service.claim(owner, {
              key,
              request: { query: req.query, variables: req.variables ?? {}, operationName: req.operationName ?? null },
            });
          } catch (error) {
            // Apollo turns anything thrown from this hook into a bare 500: answer the conflict as a typed result.
            if (!(error instanceof IdempotencyError)) throw error;
            const code = error.code === 'INVALID_IDEMPOTENCY_KEY' ? ApiErrorCode.BAD_USER_INPUT : ApiErrorCode.CONFLICT;
            return {
              http: { status: code === ApiErrorCode.CONFLICT ? 409 : 400, headers: new HeaderMap() },
              body: { kind: 'single', singleResult: { errors: [{ message: error.message, extensions: { code, reason: error.code } }] } },
            };
          }
          if (claim.kind === 'replay') {
            return { http: { status: undefined, headers: new HeaderMap([['idempotent-replayed', 'true']]) }, body: { kind: 'single', singleResult: claim.response } };
          }
          claimed = { owner, recordId: claim.recordId };
          return null;
        },
        async willSendResponse({ response, contextValue }) {
          if (!claimed) return;
          const { owner, recordId } = claimed;
          const result = response.body.kind === 'single' ? response.body.singleResult : undefined;
          const log = contextValue.logger;
          if (result && !result.errors?.length) {
            try {
              return await service.complete(owner, recordId, result as Record<string, unknown>);
            } catch (error) {
              // The mutation has committed and its answer goes out; a key left claimed would answer every retry
              // IN_PROGRESS for a day. Released, a retry runs again, as it would without a key. (Never the answer
              // itself in the log: it may hold a token's secret.)
              log.error({ err: error, idempotencyRecord: recordId }, 'storing the answer of an Idempotency-Key failed; the key is released');
            }
          }
          try {
            await service.release(owner, recordId);
          } catch (error) {
            // Nothing more to do here: the key expires with the others (IDEMPOTENCY_KEY_TTL_MS).
            log.error({ err: error, idempotencyRecord: recordId }, 'releasing an Idempotency-Key failed');
          }
        },
      };
    },
  };
}
