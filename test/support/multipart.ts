/**
 * POSTs a GraphQL operation with one file as a multipart request (https://github.com/jaydenseric/graphql-multipart-request-spec),
 * the file going into `variables.file`, with the header Apollo's CSRF prevention asks of multipart requests.
 */
export async function postMultipart(
  url: string,
  operation: { query: string; variables: Record<string, unknown> },
  file: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any }> {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: operation.query, variables: { ...operation.variables, file: null } }));
  form.append('map', JSON.stringify({ file: ['variables.file'] }));
  form.append('file', new Blob([new Uint8Array(file)], { type: 'image/jpeg' }), 'capture.jpg');
  const res = await fetch(url, { method: 'POST', body: form, headers: { 'apollo-require-preflight': 'true', ...headers } });
  return { status: res.status, body: await res.json() };
}
