import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run demo', () => {
  it('runs the whole flow on the embedded server and shows no secret', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/demo.ts'], { timeout: 60_000 });
    expect(stdout).toContain('demo: ok');
    expect(stdout).toContain('ERR_HEADER_MISMATCH, 0 requests sent');
    expect(stdout).toContain('bytes read back equal: true');
    expect(stdout).toContain('ERR_POLICY_SIZE, refused before the network');
    expect(stdout).toContain('X-Amz-Signature=REDACTED');
    expect(stdout).not.toMatch(/X-Amz-Signature=[0-9a-f]{64}/);
    expect(stdout).not.toContain('Credential=S3RVER');
  });
});
