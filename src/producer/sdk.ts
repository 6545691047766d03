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
    // Not installed, or a runtime that loads no module at run time (an edge function is one bundle).
    throw new PresignError('ERR_MISSING_CLIENT', 'A `client` was given, but @aws-sdk/client-s3 could not be imported', {
      cause: signer.scrub(cause),
      hint: 'npm install @aws-sdk/client-s3; where modules cannot be imported at run time (edge functions), leave `client` out: the presigner then sends the calls itself',
    });
  }
}

interface SdkError {
  name?: string;
  message?: string;
  Code?: string;
  $fault?: string;
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
  const text = (value: unknown) => (typeof value === 'string' ? (signer.scrub(value) as string) : undefined);
  // S3's refusals are the SDK's service exceptions, with `$fault`. Anything else failed in the SDK or
  // on the way (a TypeError from fetch, a parser the runtime lacks): its name is no S3 code, and the
  // message says where it failed instead of putting it on S3.
  const fromS3 = e.$fault !== undefined || e.Code !== undefined;
  const failure = s3Failure(
    operation,
    {
      code: fromS3 ? text(e.Code ?? e.name) : undefined,
      message: fromS3 ? text(e.message) : undefined,
      status: e.$metadata?.httpStatusCode,
      requestId: e.$metadata?.requestId,
    },
    cause,
  );
  if (!fromS3) failure.message += `: the SDK failed (${text(e.name) ?? 'Error'}: ${text(e.message) ?? 'no message'})`;
  return failure;
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
