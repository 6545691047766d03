// The embedded S3 server lives with the examples (the demo uses it too); tests take it from here.
export * from '../../examples/local-s3.js';
