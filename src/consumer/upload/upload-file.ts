/**
 * uploadFile: one call that uploads a file through the app's upload handler. The handler decides
 * single PUT or multipart and signs exactly what it allows; this sends it with the consumer's
 * `upload` or `uploadMultipart`, keeps a multipart upload's state to resume it, and asks the handler
 * to complete (which checks the object and returns the app's result).
 */
import type { CompletedPart, PresignedPart } from '../../contract/multipart.js';
import type { PresignedRequest } from '../../contract/request.js';
import { isPresignError, PresignError } from '../../errors.js';
import type { ChecksumAlgorithm, ChecksumType } from '../../s3/headers.js';
import { uploadMultipart } from '../multipart/upload-multipart.js';
import type { TransferOptions } from '../types.js';
import { upload } from '../upload.js';
import { type EndpointAnswer, type EndpointCall, endpointCaller } from './endpoint.js';
import { fingerprint, type ResumeState, readState, resumeStore } from './resume-store.js';
import type { ResumeStore, UploadFileOptions, UploadFileResult } from './types.js';

/** The transfer options passed to S3's requests: never the endpoint's headers. */
function transferOptions(options: UploadFileOptions, answer: EndpointAnswer): TransferOptions {
  const { onProgress, signal, retry, clockTolerance, now, fetch } = options;
  // The handler's clock, so that expiry is judged against the signer's time, not the browser's.
  return { onProgress, signal, retry, clockTolerance, now, fetch, serverTime: answer.serverTime };
}

function resultOf<Result>(answer: EndpointAnswer, resumed: boolean): UploadFileResult<Result> {
  return {
    key: answer.key as string,
    size: answer.size as number,
    contentType: answer.contentType as string,
    etag: answer.etag as string,
    result: answer.result as Result,
    resumed,
  };
}

/** Whether the handler says a stored upload cannot be continued (so it starts afresh). */
function isStale(error: unknown): boolean {
  return (
    isPresignError(error, 'ERR_FORBIDDEN') ||
    isPresignError(error, 'ERR_UPLOAD_NOT_FOUND') ||
    isPresignError(error, 'ERR_BAD_REQUEST')
  );
}

async function sendMultipart<Result>(
  file: Blob,
  state: ResumeState,
  first: { parts: PresignedPart[]; resume: CompletedPart[]; answer: EndpointAnswer; resumed: boolean },
  call: EndpointCall,
  options: UploadFileOptions,
  store: ResumeStore | undefined,
  id: string,
): Promise<UploadFileResult<Result>> {
  let completed: EndpointAnswer | undefined;
  const { token } = state;
  try {
    await uploadMultipart(
      {
        uploadId: state.uploadId,
        size: state.size,
        partSize: state.partSize,
        parts: first.parts,
        checksumAlgorithm: state.checksumAlgorithm as ChecksumAlgorithm | undefined,
        checksumType: state.checksumType as ChecksumType | undefined,
      },
      file,
      {
        ...transferOptions(options, first.answer),
        concurrency: options.concurrency,
        resume: first.resume,
        // Kept on failure when it can be resumed; aborted through the handler otherwise.
        keepOnFailure: store !== undefined,
        signParts: async (partNumbers, checksums) =>
          (await call('sign-parts', { token, partNumbers, checksums })).parts as PresignedPart[],
        complete: async (parts, object) => {
          completed = await call('complete', {
            token,
            parts: parts.map(({ partNumber, etag, checksum }) => ({ partNumber, etag, checksum })),
            checksum: object.checksum?.value,
          });
          return { etag: completed.etag as string };
        },
        abort: async () => {
          await call('abort', { token });
        },
      },
    );
  } catch (error) {
    // A cancelled upload (the caller's signal) is not resumed: it is aborted (best effort) and
    // forgotten. Anything else, a page unloading included (its requests end as aborted too), keeps it.
    const cancelled = options.signal?.aborted === true;
    if (store && (cancelled || isStale(error))) await store.delete(id);
    if (store && cancelled) {
      await endpointCaller({ ...options, signal: undefined })('abort', { token }).catch(() => undefined);
    }
    throw error;
  }
  await store?.delete(id);
  return resultOf<Result>(completed as EndpointAnswer, first.resumed);
}

/**
 * Uploads `file` through the upload handler at `endpoint`, to `route`: authorised and limited by the
 * server, sent straight to S3 as one PUT or in parts, checked by the server at completion. A
 * multipart upload interrupted by a reload or a lost connection resumes when `uploadFile` is called
 * again with the same file (unless `resume: false`).
 *
 * @returns the object's key, size, type and ETag, and what the route's `onUploadComplete` returned.
 * @throws {PresignError} the handler's refusal (`ERR_UNAUTHORIZED`, `ERR_TOO_LARGE`,
 *   `ERR_TYPE_NOT_ALLOWED`, `ERR_VERIFICATION_FAILED`, ...), with its HTTP `status`; S3's
 *   (`ERR_S3`); `ERR_NETWORK`; `ERR_ABORTED` when `signal` aborted.
 * @example
 * ```ts
 * const { key, result } = await uploadFile(input.files[0], {
 *   endpoint: '/api/upload',
 *   route: 'avatar',
 *   headers: { authorization: `Bearer ${token}` },
 *   onProgress: ({ percent }) => (bar.value = percent ?? 0),
 * });
 * ```
 */
export async function uploadFile<Result = unknown>(
  file: Blob,
  options: UploadFileOptions,
): Promise<UploadFileResult<Result>> {
  if (!(file instanceof Blob)) throw new PresignError('ERR_INVALID_BODY', 'uploadFile takes a File or a Blob');
  const name = options.name ?? (file as Partial<File>).name ?? '';
  const call = endpointCaller(options);
  const store = resumeStore(options);
  const id = fingerprint(file, name, options.route);

  const stored = await readState(store, id);
  if (stored) {
    try {
      const answer = await call('list', { token: stored.token });
      const resume = answer.parts as CompletedPart[];
      return await sendMultipart<Result>(
        file,
        stored,
        { parts: [], resume, answer, resumed: true },
        call,
        options,
        store,
        id,
      );
    } catch (error) {
      if (!isStale(error)) throw error;
      // The stored upload is gone, expired or not this user's: start again.
      await store?.delete(id);
    }
  }

  const created = await call('create', { route: options.route, file: { name, size: file.size, type: file.type } });
  if (created.kind === 'single') {
    let request = created.request as PresignedRequest | undefined;
    const algorithm = created.checksumAlgorithm as ChecksumAlgorithm | undefined;
    if (!request && algorithm) {
      // The route signs the PUT with the file's checksum, which S3 then checks the bytes against.
      const { checksumOf } = await import('../checksum/index.js');
      const checksum = await checksumOf(file, algorithm, { signal: options.signal });
      request = (await call('sign-put', { token: created.token, checksum })).request as PresignedRequest;
    }
    await upload(request as PresignedRequest, file, transferOptions(options, created));
    return resultOf<Result>(await call('complete', { token: created.token }), false);
  }
  const state: ResumeState = {
    token: created.token as string,
    key: created.key as string,
    uploadId: created.uploadId as string,
    size: created.size as number,
    partSize: created.partSize as number,
    checksumAlgorithm: created.checksumAlgorithm as string | undefined,
    checksumType: created.checksumType as string | undefined,
  };
  await store?.set(id, JSON.stringify(state));
  return sendMultipart<Result>(
    file,
    state,
    { parts: created.parts as PresignedPart[], resume: [], answer: created, resumed: false },
    call,
    options,
    store,
    id,
  );
}
