/**
 * The browser's half of the handler's protocol (version 1, docs/upload-handler.md): one JSON POST per
 * call, the endpoint's own headers on it; an answer's error becomes a PresignError with its code.
 * Every call but `create` is idempotent (a repeated `complete` finds the object completed) and is
 * retried like a transfer; a `create` whose answer was lost would leave an upload open, so it is sent
 * once.
 */
import { PresignError, type PresignErrorCode } from '../../errors.js';
import { withRetry } from '../retry.js';
import type { UploadFileOptions } from './types.js';

/** The protocol version spoken. */
const VERSION = 1;

/** One call of the protocol: `call('list', { token })`. */
export type EndpointCall = (action: string, fields: Record<string, unknown>) => Promise<EndpointAnswer>;

/** An answer's fields (what each action returns, see the protocol), with the server's time. */
export interface EndpointAnswer {
  serverTime: string;
  [field: string]: unknown;
}

/** The caller for `options.endpoint`. */
export function endpointCaller(options: UploadFileOptions): EndpointCall {
  const { endpoint } = options;
  const fetcher = options.fetch ?? fetch;
  return (action, fields) =>
    withRetry(({ signal }) => once(action, fields, signal), {
      retry: action === 'create' ? 0 : options.retry,
      signal: options.signal,
    });

  async function once(action: string, fields: Record<string, unknown>, signal: AbortSignal): Promise<EndpointAnswer> {
    let response: Response;
    let answer: Record<string, unknown> | undefined;
    try {
      response = await fetcher(endpoint, {
        method: 'POST',
        headers: { ...options.headers, 'content-type': 'application/json' },
        body: JSON.stringify({ v: VERSION, action, ...fields }),
        credentials: options.credentials ?? 'same-origin',
        signal,
      });
      answer = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    } catch (cause) {
      if (signal?.aborted) throw new PresignError('ERR_ABORTED', 'the upload was aborted', { cause });
      throw new PresignError('ERR_NETWORK', 'the upload endpoint could not be reached', { cause });
    }
    const error = answer?.error as { code?: unknown; message?: unknown } | undefined;
    if (!response.ok || !answer || error) {
      const code = typeof error?.code === 'string' && /^ERR_[A-Z_]+$/.test(error.code) ? error.code : 'ERR_INTERNAL';
      const message =
        typeof error?.message === 'string' ? error.message : `the upload endpoint answered ${response.status}`;
      throw new PresignError(code as PresignErrorCode, message.slice(0, 200), { status: response.status });
    }
    return answer as EndpointAnswer;
  }
}
