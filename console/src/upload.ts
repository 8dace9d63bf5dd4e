import { print } from 'graphql';
import { GRAPHQL_PATH } from './apollo.js';
import { graphql } from './generated/gql.js';
import type { UploadCaptureMutation } from './generated/graphql.js';

export const UploadCaptureDocument = graphql(`
  mutation UploadCapture($sessionId: ID!, $step: Int!, $file: Upload!) {
    uploadCapture(sessionId: $sessionId, step: $step, file: $file) {
      captureId
      step {
        position
        status
        attempts
        warnings {
          code
          severity
          message
        }
      }
      session {
        id
        status
      }
    }
  }
`);

/** The GraphQL multipart request (graphql-multipart-request-spec) of one upload. */
export function uploadForm(sessionId: string, step: number, file: Blob, name = 'capture.jpg'): FormData {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: print(UploadCaptureDocument), variables: { sessionId, step, file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', file, name);
  return form;
}

/**
 * Uploads one capture with the applicant's token over XMLHttpRequest, whose upload events give the progress (fetch
 * has none). Resolves with the evaluated step and session; rejects with the API's message.
 */
export function uploadCapture(
  token: string,
  sessionId: string,
  step: number,
  file: Blob,
  onProgress: (fraction: number) => void,
): Promise<UploadCaptureMutation['uploadCapture']> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', GRAPHQL_PATH);
    xhr.setRequestHeader('authorization', `Bearer ${token}`);
    // Apollo Server's CSRF prevention: a multipart request must say it is not a simple form post.
    xhr.setRequestHeader('apollo-require-preflight', 'true');
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onerror = () => reject(new Error('The upload did not reach the server.'));
    xhr.onload = () => {
      let body: { data?: UploadCaptureMutation | null; errors?: { message: string }[] };
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        reject(new Error(`The server answered ${xhr.status}.`));
        return;
      }
      if (body.data?.uploadCapture) resolve(body.data.uploadCapture);
      else reject(new Error(body.errors?.[0]?.message ?? `The server answered ${xhr.status}.`));
    };
    xhr.send(uploadForm(sessionId, step, file, file instanceof File ? file.name : 'capture.jpg'));
  });
}
