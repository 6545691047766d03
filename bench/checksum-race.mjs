// The race of bench/checksum.mjs, shared by Node and the Chromium page (esbuild bundles it there):
// ours and each oracle over the same bytes, in the same chunks, interleaved round by round (the order
// flips each round), medians of MB/s (10^6 bytes a second). Nothing here is Node's or the page's own.

/** Bytes from a fixed xorshift seed: the same data in both runtimes, nothing a CRC could shortcut. */
export function noise(size) {
  const bytes = new Uint8Array(size);
  const words = new Uint32Array(bytes.buffer, 0, size >>> 2);
  let x = 0x9e3779b9;
  for (let i = 0; i < words.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x;
  }
  return bytes;
}

const base64 = (bytes) => btoa(String.fromCharCode(...bytes));

/** The base64 digest of `data` fed to `make()` in `chunk`-byte pieces, and the seconds it took. */
async function run(make, data, chunk) {
  const start = performance.now();
  const hash = make();
  for (let offset = 0; offset < data.length; offset += chunk) hash.update(data.subarray(offset, offset + chunk));
  const digest = await hash.digest();
  const seconds = (performance.now() - start) / 1000;
  return { digest: typeof digest === 'string' ? digest : base64(digest), seconds };
}

const median = (values) => [...values].sort((a, b) => a - b)[values.length >> 1];

/**
 * `algorithms`: `{ [name]: { ours: () => hash, oracle: () => hash, oracleName } }`, each hash with
 * `update(Uint8Array)` and `digest()` (a base64 string, or bytes, or a promise of either).
 * Returns `{ [name]: { ours, oracle, ratio, oracleName } }` in MB/s, after checking both agree.
 */
export async function race(algorithms, { size, chunk, rounds }) {
  const data = noise(size);
  const results = {};
  for (const [name, { ours, oracle, oracleName }] of Object.entries(algorithms)) {
    // Warm-up on a slice (JIT), and the proof that both compute the same thing on the whole.
    await run(ours, data.subarray(0, 4 * chunk), chunk);
    await run(oracle, data.subarray(0, 4 * chunk), chunk);
    const times = { ours: [], oracle: [] };
    let agreed;
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 ? ['oracle', 'ours'] : ['ours', 'oracle'];
      const digests = {};
      for (const who of order) {
        const { digest, seconds } = await run(who === 'ours' ? ours : oracle, data, chunk);
        digests[who] = digest;
        times[who].push(size / 1e6 / seconds);
      }
      if (digests.ours !== digests.oracle)
        throw new Error(`${name}: ours ${digests.ours}, ${oracleName} ${digests.oracle}`);
      agreed = digests.ours;
    }
    const oursMBs = median(times.ours);
    const oracleMBs = median(times.oracle);
    results[name] = { ours: oursMBs, oracle: oracleMBs, ratio: oursMBs / oracleMBs, oracleName, digest: agreed };
  }
  return results;
}
