/**
 * Completion's check of what arrived: HEAD the object and compare its size and type with what the
 * token says was declared; an object that differs is deleted, so a lying client never leaves an
 * object the app did not agree to.
 */
import type { Presigner } from '../producer/presigner-interface.js';
import { HandlerRefusal } from './errors.js';
import type { TokenClaims } from './token.js';

/** What the HEAD found. */
export interface VerifiedObject {
  etag: string;
}

/** Sends a presigned request with its signed headers; S3 faults become `ERR_STORAGE`. */
async function send(
  fetcher: typeof fetch,
  request: { method: string; url: string; headers: Record<string, string> },
): Promise<Response> {
  try {
    return await fetcher(request.url, { method: request.method, headers: request.headers, redirect: 'manual' });
  } catch (cause) {
    throw Object.assign(new HandlerRefusal('ERR_STORAGE', 'the storage could not be reached'), { cause });
  }
}

/** The media type of a content type, lower-cased, for comparison. */
function mediaType(contentType: string): string {
  return contentType.toLowerCase().replace(/\s+/g, '');
}

/** HEADs the object; refuses (422) and deletes it when its size or type is not the declared one. */
export async function verifyObject(
  presigner: Presigner,
  fetcher: typeof fetch,
  claims: TokenClaims,
): Promise<VerifiedObject> {
  const head = await send(fetcher, await presigner.presignHead({ key: claims.key }));
  await head.body?.cancel();
  if (head.status === 404) {
    throw new HandlerRefusal('ERR_VERIFICATION_FAILED', 'no object was uploaded');
  }
  if (!head.ok) {
    throw new HandlerRefusal('ERR_STORAGE', `the storage answered ${head.status} to the check of the object`);
  }
  const size = Number(head.headers.get('content-length'));
  const contentType = head.headers.get('content-type') ?? '';
  if (size !== claims.size || mediaType(contentType) !== mediaType(claims.contentType)) {
    const remove = await send(fetcher, await presigner.presignDelete({ key: claims.key }));
    await remove.body?.cancel();
    throw new HandlerRefusal('ERR_VERIFICATION_FAILED', 'the uploaded object is not the file declared; it was deleted');
  }
  return { etag: head.headers.get('etag') ?? '' };
}
