/**
 * Resume state: what continuing a multipart upload needs (the sealed token, S3's upload id, the plan),
 * under a fingerprint of the file. Nothing secret but the token, which only its user can present.
 */
import type { ResumeStore, UploadFileOptions } from './types.js';

/** The stored state of one multipart upload. */
export interface ResumeState {
  token: string;
  key: string;
  uploadId: string;
  size: number;
  partSize: number;
  /** The checksum the route requires of each part (and its type), when it requires one. */
  checksumAlgorithm?: string | undefined;
  checksumType?: string | undefined;
}

/** localStorage where there is one (reading it throws in some sandboxed frames). */
function defaultStore(): ResumeStore | undefined {
  try {
    const storage = globalThis.localStorage;
    if (!storage) return undefined;
    return {
      get: (key) => storage.getItem(key),
      set: (key, value) => storage.setItem(key, value),
      delete: (key) => storage.removeItem(key),
    };
  } catch {
    return undefined;
  }
}

/** The file's fingerprint: route, name, size, type and last-modified time. */
export function fingerprint(file: Blob, name: string, route: string): string {
  const modified = (file as Partial<File>).lastModified ?? 0;
  return `s3-presign:${JSON.stringify([route, name, file.size, file.type, modified])}`;
}

/** The store `options` ask for, or none when resume is off. */
export function resumeStore(options: UploadFileOptions): ResumeStore | undefined {
  return options.resume === false ? undefined : (options.store ?? defaultStore());
}

/** The state under `id`, when it is there and well-formed. */
export async function readState(store: ResumeStore | undefined, id: string): Promise<ResumeState | undefined> {
  try {
    const text = await store?.get(id);
    const state = text ? (JSON.parse(text) as Partial<ResumeState>) : undefined;
    if (
      state &&
      typeof state.token === 'string' &&
      typeof state.key === 'string' &&
      typeof state.uploadId === 'string' &&
      Number.isSafeInteger(state.size) &&
      Number.isSafeInteger(state.partSize) &&
      (state.checksumAlgorithm === undefined || typeof state.checksumAlgorithm === 'string') &&
      (state.checksumType === undefined || typeof state.checksumType === 'string')
    ) {
      return state as ResumeState;
    }
  } catch {
    // An unreadable entry is no state: the upload starts afresh.
  }
  return undefined;
}
