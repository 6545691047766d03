/**
 * Time as the consumer judges it: on the signer's timeline, never by comparing this machine's wall
 * clock with the signer's (clients' clocks are often minutes or hours off). When a descriptor is first
 * seen, the signer's time then is taken from a reference: the caller's `serverTime` (e.g. the `Date`
 * of the response that carried it) when given, else the descriptor's own `X-Amz-Date` (a descriptor
 * is assumed freshly signed). From then on, time runs on `now`, of which only differences count.
 */
import { PresignError } from '../errors.js';
import { MAX_EXPIRES_IN } from '../s3/limits.js';
import type { ParseDescriptorOptions, TransferOptions } from './types.js';

/** The default `now`: monotonic, so a wall clock set back or forward changes nothing. */
const monotonic = () => performance.now();

/** The signer's clock of each descriptor object, learnt when it was first seen, and the `now` it runs on. */
const clocks = new WeakMap<object, [now: unknown, clock: () => number]>();

/** Epoch ms of a `Date`, an ISO or HTTP date string, or epoch ms; `ERR_INVALID_CLOCK` for anything else. */
function msOf(time: unknown, what: string): number {
  const ms = typeof time === 'string' ? Date.parse(time) : time instanceof Date ? time.getTime() : time;
  if (!Number.isFinite(ms)) throw new PresignError('ERR_INVALID_CLOCK', `${what} gave no finite time`);
  return ms as number;
}

/** `clockTolerance` in ms, refused unless seconds from 0 to 604800. */
export function toleranceOf(options: Pick<TransferOptions, 'clockTolerance'>): number {
  const { clockTolerance = 5 } = options;
  if (!(typeof clockTolerance === 'number' && clockTolerance >= 0 && clockTolerance <= MAX_EXPIRES_IN)) {
    throw new PresignError('ERR_INVALID_CLOCK', 'clockTolerance: 0..604800 s');
  }
  return clockTolerance * 1000;
}

/**
 * The signer's clock for descriptor `descriptor` signed at `signedAt` (epoch ms): the one learnt when
 * it was first seen, or, when `options.serverTime` is given (the caller says when it was received),
 * one learnt now. Each reading checks `now` again.
 */
export function signerClock(descriptor: object, signedAt: number, options: ParseDescriptorOptions): () => number {
  const { now = monotonic, serverTime } = options;
  const known = clocks.get(descriptor);
  // Only readings of one `now` can be subtracted: another clock learns anew.
  let clock = serverTime === undefined && known?.[0] === now ? known[1] : undefined;
  if (!clock) {
    const read = () => {
      const time: unknown = typeof now === 'function' ? now() : Number.NaN;
      // A Date or ms: a string is not a clock reading.
      return msOf(typeof time === 'string' ? Number.NaN : time, 'now()');
    };
    const start = read();
    const at = serverTime === undefined ? signedAt : msOf(serverTime, 'serverTime');
    clock = () => at + read() - start;
    clocks.set(descriptor, [now, clock]);
  }
  return clock;
}
