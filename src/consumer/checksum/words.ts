/** Whether this platform stores integers little-endian (every browser and Node platform in use does). */
let littleEndian: boolean | undefined;

/** Below this, reading words is not worth the view. */
const MIN_WORDS_BYTES = 64;

/**
 * The bytes of `bytes` from its first 4-byte boundary on, as little-endian 32-bit words (`first` is that
 * boundary's index in `bytes`), or undefined on a big-endian platform or for a short chunk: one load
 * a word instead of four, which is most of what slicing-by-16 costs in JavaScript.
 */
export function littleEndianWords(bytes: Uint8Array): { view: Int32Array; first: number } | undefined {
  littleEndian ??= new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
  if (!littleEndian || bytes.length < MIN_WORDS_BYTES) return undefined;
  const first = (4 - (bytes.byteOffset & 3)) & 3;
  const view = new Int32Array(bytes.buffer, bytes.byteOffset + first, (bytes.length - first) >>> 2);
  return { view, first };
}
