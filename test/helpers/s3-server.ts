// The embedded S3 server lives with the examples (the demo uses it too); tests take it from here.
import { createRequire } from 'node:module';
import { CANARY } from './canary.js';

export * from '../../examples/local-s3.js';

// s3rver knows one account, with the key pair S3RVER/S3RVER; the tests' presigners sign with the
// canary credentials (test/helpers/canary.ts), so s3rver is taught that pair too. It ignores the
// session token, which is still signed into every URL: a leaked one would show in the canary scan.
const { DUMMY_ACCOUNT } = createRequire(import.meta.url)('@20minutes/s3rver/lib/models/account.js') as {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};
DUMMY_ACCOUNT.createKeyPair(CANARY.accessKeyId, CANARY.secretAccessKey);
