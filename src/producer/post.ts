import type { PostCondition, PresignedPost } from '../contract/post.js';
import { POST_FIELD } from '../s3/post-policy.js';
import { ALGORITHM } from '../sigv4/constants.js';
import { credentialScope, hmacHex } from '../sigv4/presign.js';
import { draftOf } from './post/draft.js';
import type { PresignPostOptions } from './post/options.js';
import type { Signer } from './signing.js';

export type { PresignPostOptions };

/**
 * Presigns an S3 POST (browser form upload) with a SigV4 policy: unlike a presigned PUT, it can cap
 * the file's size and let the page choose the key under a prefix. S3 enforces every condition.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
 *
 * @example
 * const post = await presignPost(presigner, { keyPrefix: 'uploads/42/', contentTypePrefix: 'image/', maxSize: 10_000_000 });
 * // post.url and post.fields make the form; the file goes last.
 */
export async function presignPost(signer: Signer, options: PresignPostOptions): Promise<PresignedPost> {
  const draft = draftOf(options);
  const bucket = signer.bucketOf(options.bucket);
  const context = await signer.signingContext(options.signingDate, options.expiresIn);
  const target = context.target(bucket);
  const scope = credentialScope(context.amzDate, context.region, context.service);

  const signed: Array<[string, string]> = [
    [POST_FIELD.algorithm, ALGORITHM],
    [POST_FIELD.credential, `${context.credentials.accessKeyId}/${scope}`],
    [POST_FIELD.date, context.amzDate],
  ];
  if (context.credentials.sessionToken) signed.push([POST_FIELD.securityToken, context.credentials.sessionToken]);

  const conditions: PostCondition[] = [{ bucket }, ...draft.conditions];
  const fields = { ...draft.fields };
  for (const [name, value] of signed) {
    conditions.push({ [name]: value });
    fields[name] = value;
  }
  const policy = Buffer.from(JSON.stringify({ expiration: context.expiresAt, conditions }), 'utf8').toString('base64');
  fields[POST_FIELD.policy] = policy;
  fields[POST_FIELD.signature] = hmacHex(context.signingKey, policy);
  return { method: 'POST', url: target.origin + target.pathPrefix, fields, expiresAt: context.expiresAt, conditions };
}
