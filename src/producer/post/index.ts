import type { PostCondition, PresignedPost } from '../../contract/post.js';
import { POST_FIELD } from '../../s3/post-policy.js';
import { utf8Base64 } from '../../sigv4/bytes.js';
import { ALGORITHM } from '../../sigv4/constants.js';
import { credentialScope, hmacHex } from '../../sigv4/presign.js';
import type { Signer } from '../signing.js';
import { draftOf } from './draft.js';
import type { PresignPostOptions } from './options.js';

export type { PresignPostOptions };

/**
 * {@link Presigner.presignPost} (documented there): the policy's fields and conditions drafted and
 * checked (post/draft.ts), then the signer's fields added and the base64 policy signed with the
 * day's signing key.
 * https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-HTTPPOSTConstructPolicy.html
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
  const policy = utf8Base64(JSON.stringify({ expiration: context.expiresAt, conditions }));
  fields[POST_FIELD.policy] = policy;
  fields[POST_FIELD.signature] = hmacHex(context.signingKey, policy);
  return { method: 'POST', url: target.origin + target.pathPrefix, fields, expiresAt: context.expiresAt, conditions };
}
