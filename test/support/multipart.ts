/**
 * POSTs a GraphQL operation with one file as a multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec),
 * the file going into `variables.file`, with the header Apollo's CSRF prevention asks of multipart requests. A header
 * given as `null` is left out (`{ 'apollo-require-preflight': null }` shows what that prevention refuses).
 */
export async function postMultipart(
  url: string,
  operation: { query: string; variables: Record<string, unknown> },
  file: Buffer,
  headers: Record<string, string | null> = {},
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: operation.query, variables: { ...operation.variables, file: null } }));
  form.append('map', JSON.stringify({ file: ['variables.file'] }));
  form.append('file', new Blob([new Uint8Array(file)], { type: 'image/jpeg' }), 'capture.jpg');
  const sent = Object.entries({ 'apollo-require-preflight': 'true', ...headers }).filter((entry): entry is [string, string] => entry[1] !== null);
  const res = await fetch(url, { method: 'POST', body: form, headers: sent });
  return { status: res.status, body: await res.json() };
}
