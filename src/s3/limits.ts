/** S3's numeric limits, named. https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html */

/** SigV4 query signatures live at most seven days. */
export const MAX_EXPIRES_IN = 604_800;
/** The SDK's and this library's default: 15 minutes. */
export const DEFAULT_EXPIRES_IN = 900;
/** Object keys are at most 1024 bytes of UTF-8. */
export const MAX_KEY_BYTES = 1024;
/** User metadata (names and values, UTF-8) is at most 2 KB in total. */
export const MAX_METADATA_BYTES = 2048;
/** A single PUT carries at most 5 GiB. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;
/** Multipart: parts of 5 MiB to 5 GiB (the last may be smaller), at most 10,000 of them. */
export const MIN_PART_SIZE = 5 * 1024 ** 2;
export const MAX_PART_SIZE = 5 * 1024 ** 3;
export const MAX_PARTS = 10_000;
/** The largest object S3 stores (5 TiB), whatever the part plan. */
export const MAX_OBJECT_SIZE = 5 * 1024 ** 4;
