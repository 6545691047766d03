import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createPresigner, PresignError } from '../../src/index.js';
import { CANARY } from '../helpers/canary.js';
import { forget, leaks, recordedErrors } from '../helpers/canary-setup.js';
import { rejection } from '../helpers/rejection.js';

// The canary scan of test/helpers/canary-setup.ts runs after every test file: these tests prove it
// sees the library's errors and finds a canary wherever one hides, and that a leak fails a file.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

describe('the canary scan of every error the suite produces', () => {
  it('records the errors the library throws and rejects with, producer and consumer', async () => {
    const before = recordedErrors().length;
    expect(() => createPresigner({ region: 'eu-west-1' })).toThrow(PresignError);
    const presigner = createPresigner({ region: 'eu-west-1', credentials: CANARY });
    await rejection(presigner.presignGet({ key: '' }));
    const { parseDescriptor } = await import('../../src/consumer/index.js');
    expect(() => parseDescriptor({})).toThrow(PresignError);
    expect(recordedErrors().length).toBeGreaterThanOrEqual(before + 3);
    expect(leaks(recordedErrors().slice(before))).toEqual([]);
  });

  it.each([
    ['the message', () => new PresignError('ERR_S3', `denied ${CANARY.secretAccessKey}`)],
    ['a field', () => new PresignError('ERR_S3', 'denied', { s3Message: CANARY.sessionToken })],
    [
      'a hidden property deep in the cause chain',
      () => {
        const inner = new Error('inner');
        Object.defineProperty(inner, 'request', {
          value: { headers: { 'x-amz-security-token': CANARY.sessionToken } },
        });
        return new PresignError('ERR_S3', 'denied', { cause: new Error('outer', { cause: inner }) });
      },
    ],
    [
      'the stack, URL-encoded',
      () => {
        const error = new PresignError('ERR_NETWORK', 'no response');
        error.stack = `PresignError: no response ?X-Amz-Security-Token=${encodeURIComponent(CANARY.sessionToken)}`;
        return error;
      },
    ],
  ])('finds a canary planted in %s', (_where, plant) => {
    const error = plant();
    expect(recordedErrors()).toContain(error);
    expect(leaks([error])).not.toEqual([]);
    forget(error);
  });

  it('finds a derived signing key, in hex or base64', async () => {
    const { createHmac } = await import('node:crypto');
    let key = createHmac('sha256', `AWS4${CANARY.secretAccessKey}`).update('20261129').digest();
    for (const part of ['us-east-1', 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    for (const text of [key.toString('hex'), key.toString('base64')]) {
      const error = new PresignError('ERR_S3', `key ${text}`);
      expect(leaks([error])).not.toEqual([]);
      forget(error);
    }
  });

  it('fails a test file that leaves a leaking error behind', async () => {
    const result = await run(
      process.execPath,
      [
        'node_modules/vitest/vitest.mjs',
        'run',
        '--config',
        'test/fixtures/canary-planted/vitest.config.ts',
        '--reporter=verbose',
      ],
      { cwd: ROOT, env: { ...process.env, CI: '1', NO_COLOR: '1' } },
    ).then(
      () => ({ failed: false, output: '' }),
      (error: { stdout: string; stderr: string }) => ({ failed: true, output: `${error.stdout}${error.stderr}` }),
    );
    expect(result.failed).toBe(true);
    expect(result.output).toContain('ERR_S3: secret access key in');
    expect(result.output).toContain('1 PresignErrors scanned for canaries');
  }, 60_000);
});
