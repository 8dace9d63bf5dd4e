import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { ApiError, ApiErrorCode } from '../../server/errors.js';

/**
 * Reads an upload into memory, refusing it as soon as it passes `maxBytes` (the stream is destroyed: a 5 GB upload
 * costs at most `maxBytes` of memory). Images are small (≤ 15 MB by default) and the models need the whole file.
 */
export async function readUpload(upload: Promise<FileUpload>, maxBytes: number): Promise<Buffer> {
  const file = await upload;
  const chunks: Buffer[] = [];
  let size = 0;
  const tooLarge = () => new ApiError(ApiErrorCode.IMAGE_TOO_LARGE, `the file exceeds ${maxBytes} bytes`, { maxBytes });
  try {
    // Inside the try: once the request has failed, graphql-upload's createReadStream throws its error at once.
    const stream = file.createReadStream();
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) {
        stream.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  } catch (error) {
    // graphql-upload stops the stream itself past its `maxFileSize` (HTTP 413 error): the same answer.
    if ((error as { status?: number }).status === 413) throw tooLarge();
    if (error instanceof ApiError) throw error;
    // A system error (its `syscall`: the temporary file graphql-upload buffers to) is ours; anything else broke in the
    // client's request body (busboy's "Unexpected end of form", a disconnect: graphql-upload's 499).
    if (error instanceof Error && 'syscall' in error) throw error;
    throw new ApiError(ApiErrorCode.BAD_REQUEST, 'the request ended before the file did', { reason: 'UPLOAD_INCOMPLETE' });
  }
  if (size === 0) throw new ApiError(ApiErrorCode.BAD_IMAGE, 'the file is empty');
  return Buffer.concat(chunks);
}
