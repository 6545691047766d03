/**
 * The multipart control calls (create, complete, abort, list, and the HEAD of a lost completion):
 * through the `@aws-sdk/client-s3` client the signer was given, or, without one, as requests the
 * presigner signs itself (s3-fetch.ts), in the same input and output shapes. The SDK is an optional peer, loaded only
 * when a call talks to S3, and its failures become `PresignError`s.
 */
import { PresignError } from '../errors.js';
import { type SdkOperation, s3Failure, sendSigned } from './s3-fetch.js';
import type { Signer } from './signing.js';

type ClientS3 = typeof import('@aws-sdk/client-s3');

/**
 * The SDK's name, not a literal in the import: bundlers then leave it to run time (and the comments
 * tell webpack and Vite so), so a bundle carries none of the SDK and no bundler warns when it is not
 * installed. Only a presigner given a `client` loads it.
 */
const SDK = '@aws-sdk/client-s3';

/** The SDK, loaded only when a call talks to S3 through `client` (it is an optional peer dependency). */
async function sdk(
  signer: Signer,
  client: NonNullable<Signer['client']>,
): Promise<{ client: NonNullable<Signer['client']>; s3: ClientS3 }> {
  try {
    return { client, s3: (await import(/* webpackIgnore: true */ /* @vite-ignore */ SDK)) as ClientS3 };
  } catch (cause) {
    throw new PresignError('ERR_MISSING_CLIENT', 'Multipart calls need the @aws-sdk/client-s3 package', {
      cause: signer.scrub(cause),
      hint: 'npm install @aws-sdk/client-s3',
    });
  }
}

interface SdkError {
  name?: string;
  message?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * An SDK failure as a `PresignError` (`ERR_ABORTED` for a cancelled call, `ERR_S3` otherwise). Its
 * cause is a scrubbed copy: the SDK's error holds the signed request (`$response`, with the
 * `Authorization` and `x-amz-security-token` headers) and S3's fields (`AWSAccessKeyId`,
 * `StringToSign`, `CanonicalRequest`) that quote the credential and the token.
 */
function fromSdk(signer: Signer, operation: string, error: unknown, signal: AbortSignal | undefined): PresignError {
  if (PresignError.is(error)) return signer.scrub(error) as PresignError;
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkError;
  const cause = signer.scrub(error);
  if (signal?.aborted === true || e.name === 'AbortError') {
    return new PresignError('ERR_ABORTED', `${operation} was aborted`, { cause });
  }
  const rawCode = e.Code ?? e.name;
  return s3Failure(
    operation,
    {
      code: typeof rawCode === 'string' ? (signer.scrub(rawCode) as string) : undefined,
      message: typeof e.message === 'string' ? (signer.scrub(e.message) as string) : undefined,
      status: e.$metadata?.httpStatusCode,
      requestId: e.$metadata?.requestId,
    },
    cause,
  );
}

export async function sendCommand<T>(
  signer: Signer,
  operation: SdkOperation,
  input: Record<string, unknown>,
  signal: AbortSignal | undefined,
): Promise<T> {
  // No client: the presigner signs the call itself (s3-fetch.ts).
  if (signer.client === undefined) return sendSigned<T>(signer, operation, input, signal);
  const { client, s3 } = await sdk(signer, signer.client);
  if (signal?.aborted === true)
    throw new PresignError('ERR_ABORTED', `${operation} was aborted`, { cause: signal.reason });
  const Command = s3[`${operation}Command`] as unknown as new (input: Record<string, unknown>) => unknown;
  try {
    return (await client.send(new Command(input), signal === undefined ? undefined : { abortSignal: signal })) as T;
  } catch (error) {
    throw fromSdk(signer, operation, error, signal);
  }
}
