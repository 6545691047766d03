import { createHmac } from 'node:crypto';
import { inspect } from 'node:util';

/**
 * Canary credentials: values distinctive enough that finding one anywhere proves a leak. The
 * presigners of test/helpers/presigner.ts sign with them (s3rver knows the key pair: see
 * test/helpers/s3-server.ts), so every integration and browser test runs with canaries.
 */
export const CANARY = {
  accessKeyId: 'AKIACANARY7Q3ZPX5W2M',
  secretAccessKey: 'CanarySecret+Zq7xW3vN9pL2mK8jH4gF6dS1aQ0=',
  sessionToken: 'CanaryToken/FwoGZXIvYXdzECaNaRyToKeN+8Vb5qQ2rS7tU1wX4yZ6aB3cD9eF0gH+canary==',
} as const;

/** Secrets the unit tests sign with (the AWS documentation's examples, and ones of their own). */
const SUITE_SECRETS = [
  'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  'FwoGZXIvYXdzE+/token==',
  'FwoGZXIvYXdzEXAMPLE/token+==',
];
const REGIONS = ['us-east-1', 'eu-west-1', 'us-west-2', 'eu-central-1', 'ap-southeast-2', 'auto'];
const DAY_MS = 86_400_000;

function signingKey(secret: string, day: string, region: string): Buffer {
  const kDate = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update('s3').digest();
  return createHmac('sha256', kService).update('aws4_request').digest();
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');
}

/**
 * Every string whose presence in an error is a leak, with what it is: the canary secret and token
 * (raw and URL-encoded), the suite's other secrets, and the signing keys derived from them (hex and
 * base64) for the regions the suite signs in, on the days it signs on (today +- 10 days, for the
 * real clock, and the fixed dates of the vectors and frozen clocks in `days`).
 */
export function canaryStrings(days: readonly string[] = []): Map<string, string> {
  const found = new Map<string, string>();
  const secrets = [CANARY.secretAccessKey, ...SUITE_SECRETS.filter((s) => !s.includes('token'))];
  for (const [name, value] of [
    ['secret access key', CANARY.secretAccessKey],
    ['session token', CANARY.sessionToken],
    ...SUITE_SECRETS.map((s) => ['suite secret', s] as const),
  ] as const) {
    found.set(value, name);
    found.set(encodeURIComponent(value), `${name} (URL-encoded)`);
  }
  const now = Date.now();
  const allDays = new Set(days);
  for (let d = -10; d <= 10; d++) allDays.add(dayOf(now + d * DAY_MS));
  for (const secret of secrets) {
    for (const day of allDays) {
      for (const region of REGIONS) {
        const key = signingKey(secret, day, region);
        found.set(key.toString('hex'), `signing key (hex) ${day} ${region}`);
        found.set(key.toString('base64'), `signing key (base64) ${day} ${region}`);
      }
    }
  }
  return found;
}

/** Everything an error shows: util.inspect at every depth with hidden fields and getters, JSON, String. */
export function errorText(error: unknown): string {
  const parts = [
    inspect(error, {
      depth: Number.POSITIVE_INFINITY,
      showHidden: true,
      getters: true,
      maxArrayLength: Number.POSITIVE_INFINITY,
      maxStringLength: Number.POSITIVE_INFINITY,
      breakLength: Number.POSITIVE_INFINITY,
    }),
    String(error),
  ];
  try {
    parts.push(JSON.stringify(error) ?? '');
  } catch {
    // A cycle: inspect has it all.
  }
  // The cause chain and stacks by hand too, in case a custom inspect hides part of them.
  let e: unknown = error;
  for (let depth = 0; depth < 10 && typeof e === 'object' && e !== null; depth++) {
    parts.push(String((e as Error).message), String((e as Error).stack));
    e = (e as Error).cause;
  }
  return parts.join('\n');
}

/** The canaries found in `error`, by name: empty when it is clean. */
export function canariesIn(error: unknown, strings: Map<string, string> = canaryStrings()): string[] {
  const text = errorText(error);
  const found: string[] = [];
  for (const [value, name] of strings) if (text.includes(value)) found.push(name);
  return found;
}
