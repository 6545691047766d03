/**
 * The descriptor: the contract between the producer and the consumer. It is plain JSON, so a server
 * returns it to a browser as it is, and the consumer sends it exactly as signed.
 */

/** The HTTP methods a descriptor can be signed for. */
export type PresignedMethod = 'GET' | 'PUT' | 'HEAD' | 'DELETE' | 'POST';

/** A presigned request: the URL and the headers that were signed with it travel together. */
export interface PresignedRequest {
  /** The HTTP method the signature is for. */
  method: PresignedMethod;
  /** The SigV4 query-signed URL (the only field that carries the signature and credential). */
  url: string;
  /** Every signed header but `host`: lower-case name -> the exact value that was signed. */
  headers: Record<string, string>;
  /** ISO 8601 UTC instant at which the signature stops working. */
  expiresAt: string;
}

export const PRESIGNED_METHODS: readonly PresignedMethod[] = ['GET', 'PUT', 'HEAD', 'DELETE', 'POST'];

/** `host` is always signed, from the URL: the one signed header a descriptor's `headers` leaves out. */
export const HOST = 'host';
