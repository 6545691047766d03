/**
 * Object tags as S3 takes them: at most 10 per object, keys of 1 to 128 and values of 0 to 256
 * Unicode characters, of letters, digits, spaces and `+ - = . _ : / @`, keys unique and not starting
 * with `aws:` (reserved). Checked here so the signer never signs tags S3 would refuse.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_control_S3Tag.html (the character pattern)
 */
import { PresignError } from '../errors.js';
import { readRecord, readString, refuse } from './check.js';
import { headerValue } from './headers.js';

export const MAX_TAGS = 10;
export const MAX_TAG_KEY = 128;
export const MAX_TAG_VALUE = 256;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const CHARACTERS = 'letters, digits, spaces and + - = . _ : / @';

function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

function checkTag(key: string, value: string): void {
  const keyLength = codePoints(key);
  if (keyLength < 1 || keyLength > MAX_TAG_KEY || !TAG_TEXT.test(key)) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `A tag key must be 1 to ${MAX_TAG_KEY} characters of ${CHARACTERS}; got one of ${keyLength} characters${TAG_TEXT.test(key) ? '' : ' with others'}`,
    );
  }
  if (key.toLowerCase().startsWith('aws:')) {
    throw new PresignError('ERR_INVALID_OPTION', 'A tag key must not start with "aws:", which AWS reserves');
  }
  const valueLength = codePoints(value);
  if (valueLength > MAX_TAG_VALUE || !TAG_TEXT.test(value)) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `The value of tag ${JSON.stringify(key)} must be at most ${MAX_TAG_VALUE} characters of ${CHARACTERS}; got one of ${valueLength} characters${TAG_TEXT.test(value) ? '' : ' with others'}`,
    );
  }
}

/** Tags from a record, checked: `[key, value]` pairs in the record's order. */
export function tagsOf(tagging: unknown): Array<[string, string]> {
  const tags: Array<[string, string]> = [];
  for (const [key, value] of readRecord('tagging', tagging)) {
    if (value === undefined) continue;
    readString(`tagging[${JSON.stringify(key)}]`, value);
    readString('A tag key', key);
    tags.push([key, value as string]);
  }
  return checkTags(tags);
}

function checkTags(tags: Array<[string, string]>): Array<[string, string]> {
  if (tags.length > MAX_TAGS) {
    throw new PresignError(
      'ERR_INVALID_OPTION',
      `tagging has ${tags.length} tags; S3 allows at most ${MAX_TAGS} per object`,
    );
  }
  const seen = new Set<string>();
  for (const [key, value] of tags) {
    checkTag(key, value);
    if (seen.has(key))
      throw new PresignError('ERR_INVALID_OPTION', `The tag key ${JSON.stringify(key)} is given twice`);
    seen.add(key);
  }
  return tags;
}

function encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * The `x-amz-tagging` header of a PUT or CreateMultipartUpload: from a record (encoded here), or an
 * already URL-encoded `k=v&k2=v2` string (decoded to be checked, then signed as given).
 */
export function taggingHeader(tagging: unknown): string {
  if (typeof tagging !== 'string') {
    return tagsOf(tagging)
      .map(([k, v]) => `${encode(k)}=${encode(v)}`)
      .join('&');
  }
  const header = headerValue('tagging', tagging);
  if (header === '') refuse('tagging', 'a record of tags or a URL-encoded "k=v&k2=v2" string', tagging);
  const tags = header.split('&').map((pair): [string, string] => {
    const at = pair.indexOf('=');
    const [k, v] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    try {
      // Form encoding: `+` is a space (both are allowed in tags, so the check is the same either way).
      return [decodeURIComponent(k.replace(/\+/g, ' ')), decodeURIComponent(v.replace(/\+/g, ' '))];
    } catch (cause) {
      throw new PresignError('ERR_INVALID_OPTION', 'tagging is not a URL-encoded "k=v&k2=v2" string of UTF-8', {
        cause,
      });
    }
  });
  checkTags(tags);
  return header;
}
