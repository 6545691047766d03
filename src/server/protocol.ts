/**
 * The wire protocol of the upload handler, version 1 (docs/upload-handler.md): every call is a
 * `POST` of one JSON object with `v` and `action`; every answer is JSON with `v` and `serverTime`.
 * This module reads a call strictly: unknown shapes are 400, never guessed at.
 */
import { HandlerRefusal } from './errors.js';

/** The protocol version this handler speaks. */
export const PROTOCOL_VERSION = 1;

/** The largest request body read, in bytes (10,000 part numbers with their ETags fit). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A part the browser reports as sent. */
export interface ReportedPart {
  partNumber: number;
  etag: string;
  /** The part's base64 checksum, on a route with a `checksum`. */
  checksum?: string | undefined;
}

/** One call, read. */
export type ProtocolCall =
  | { action: 'create'; route: string; file: { name: string; size: number; type: string } }
  | { action: 'sign-put'; token: string; checksum: string }
  | { action: 'sign-parts'; token: string; partNumbers: number[]; checksums?: Record<number, string> | undefined }
  | { action: 'list'; token: string }
  | { action: 'complete'; token: string; parts: ReportedPart[]; checksum?: string | undefined }
  | { action: 'abort'; token: string };

function bad(message: string): HandlerRefusal {
  return new HandlerRefusal('ERR_BAD_REQUEST', message);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readToken(body: Record<string, unknown>): string {
  if (typeof body.token !== 'string' || body.token.length === 0) throw bad('token is required');
  return body.token;
}

/** A base64 checksum as the browser computed it (SHA-256's, the longest, is 44 characters). */
function readChecksum(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9+/]{4,86}={0,2}$/.test(value))
    throw bad(`${what} is a base64 checksum`);
  return value;
}

function readPartNumber(value: unknown): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 10_000) {
    throw bad('part numbers are integers in 1..10000');
  }
  return value as number;
}

/** Reads a parsed JSON body as one call of the protocol, or throws a 400 refusal. */
export function readCall(body: unknown): ProtocolCall {
  if (!isRecord(body)) throw bad('the body is a JSON object');
  if (body.v !== PROTOCOL_VERSION) throw bad(`protocol version ${PROTOCOL_VERSION} is spoken here`);
  switch (body.action) {
    case 'create': {
      const file = body.file;
      if (typeof body.route !== 'string' || !isRecord(file)) throw bad('create needs route and file');
      const { name, size, type } = file;
      if (typeof name !== 'string' || name.length > 1024) throw bad('file.name is a string');
      if (!Number.isSafeInteger(size) || (size as number) < 0) throw bad('file.size is a whole number of bytes');
      if (typeof type !== 'string' || type.length > 255 || !/^[\x21-\x7e]*(?:[ \t]*[\x21-\x7e]+)*$/.test(type)) {
        throw bad('file.type is a printable content type');
      }
      return { action: 'create', route: body.route, file: { name, size: size as number, type } };
    }
    case 'sign-parts': {
      const token = readToken(body);
      if (!Array.isArray(body.partNumbers) || body.partNumbers.length === 0 || body.partNumbers.length > 1000) {
        throw bad('partNumbers is a list of 1..1000 part numbers');
      }
      const partNumbers = body.partNumbers.map(readPartNumber);
      if (new Set(partNumbers).size !== partNumbers.length) throw bad('partNumbers has repeats');
      if (body.checksums === undefined) return { action: 'sign-parts', token, partNumbers };
      if (!isRecord(body.checksums)) throw bad('checksums is a record of part numbers to checksums');
      const checksums: Record<number, string> = {};
      for (const n of partNumbers) checksums[n] = readChecksum(body.checksums[n], `the checksum of part ${n}`);
      return { action: 'sign-parts', token, partNumbers, checksums };
    }
    case 'sign-put':
      return { action: 'sign-put', token: readToken(body), checksum: readChecksum(body.checksum, 'checksum') };
    case 'list':
      return { action: 'list', token: readToken(body) };
    case 'abort':
      return { action: 'abort', token: readToken(body) };
    case 'complete': {
      const token = readToken(body);
      const reported = body.parts ?? [];
      if (!Array.isArray(reported) || reported.length > 10_000) throw bad('parts is a list');
      const parts = reported.map((part): ReportedPart => {
        if (!isRecord(part) || typeof part.etag !== 'string' || part.etag.length > 256) {
          throw bad('each part has a partNumber and an etag');
        }
        const read: ReportedPart = { partNumber: readPartNumber(part.partNumber), etag: part.etag };
        if (part.checksum !== undefined) read.checksum = readChecksum(part.checksum, 'a part checksum');
        return read;
      });
      if (body.checksum === undefined) return { action: 'complete', token, parts };
      return { action: 'complete', token, parts, checksum: readChecksum(body.checksum, 'checksum') };
    }
    default:
      throw bad('action is one of create, sign-put, sign-parts, list, complete, abort');
  }
}
