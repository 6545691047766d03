import { isPresignError, type PresignError } from '../../src/consumer/index.js';

/** The PresignError `promise` rejects with; anything else (or a success) fails the test. */
export async function rejection(promise: Promise<unknown>): Promise<PresignError> {
  try {
    await promise;
  } catch (error) {
    if (isPresignError(error)) return error;
    throw error;
  }
  throw new Error('expected a rejection with a PresignError, got success');
}
