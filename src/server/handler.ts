/**
 * createUploadHandler: the one route an app mounts for browser uploads. Each call of the protocol
 * (protocol.ts) is authorised, checked against its route, and answered with what to send to S3;
 * what later calls must know travels in a sealed token (token.ts), so any replica answers any call.
 */
import { isPresignError } from '../errors.js';
import type { Presigner } from '../producer/presigner-interface.js';
import { CHECKSUM_BYTES, type ChecksumAlgorithm, isChecksumAlgorithm } from '../s3/headers.js';
import { HandlerRefusal } from './errors.js';
import { nodeAdapter } from './node.js';
import { MAX_BODY_BYTES, PROTOCOL_VERSION, type ProtocolCall, readCall } from './protocol.js';
import { importSecret, MIN_SECRET_BYTES, openToken, sealToken, type TokenClaims } from './token.js';
import type { UploadAuth, UploadHandler, UploadHandlerOptions, UploadRoute } from './types.js';
import { verifyObject } from './verify.js';

/** S3's largest single PUT. */
const MAX_SINGLE_PUT = 5 * 1024 ** 3;
/** How many parts the create answer signs up front; the rest are asked for with `sign-parts`. */
const INITIAL_PARTS = 8;
const DEFAULT_TOKEN_EXPIRES_IN = 86_400;
/** The checksum a route requires; the CRCs complete a multipart upload as FULL_OBJECT. */
type RouteChecksum = ChecksumAlgorithm;
const checksumTypeOf = (algorithm: RouteChecksum) => (algorithm.startsWith('CRC') ? 'FULL_OBJECT' : 'COMPOSITE');

/** Whether `type` is one `allowed` names (exact, or `type/*`), parameters ignored. */
function typeAllowed(allowed: readonly string[] | undefined, type: string): boolean {
  if (!allowed) return true;
  const media = (type.split(';')[0] ?? '').trim().toLowerCase();
  return allowed.some((entry) => {
    const pattern = entry.toLowerCase();
    return pattern.endsWith('/*') ? media.startsWith(pattern.slice(0, -1)) : media === pattern;
  });
}

function checkOptions<Auth extends UploadAuth>(options: UploadHandlerOptions<Auth>): void {
  const secretBytes =
    typeof options?.secret === 'string'
      ? new TextEncoder().encode(options.secret).length
      : options?.secret instanceof Uint8Array
        ? options.secret.length
        : 0;
  if (secretBytes < MIN_SECRET_BYTES) {
    throw new TypeError(`createUploadHandler: secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  if (typeof options.authorize !== 'function') throw new TypeError('createUploadHandler: authorize is a function');
  if (!options.presigner) throw new TypeError('createUploadHandler: presigner is required');
  for (const [name, route] of Object.entries(options.routes ?? {})) {
    if (!Number.isSafeInteger(route.maxSize) || route.maxSize < 0) {
      throw new TypeError(`createUploadHandler: routes.${name}.maxSize is a whole number of bytes`);
    }
    if (typeof route.key !== 'function') throw new TypeError(`createUploadHandler: routes.${name}.key is a function`);
    if (route.checksum !== undefined && !isChecksumAlgorithm(route.checksum)) {
      throw new TypeError(
        `createUploadHandler: routes.${name}.checksum is one of ${Object.keys(CHECKSUM_BYTES).join(', ')}`,
      );
    }
  }
}

/** A JSON answer of the protocol, with the server's time in the body and in `Date`. */
function answer(status: number, now: Date, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify({ v: PROTOCOL_VERSION, serverTime: now.toISOString(), ...body }), {
    status,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
      date: now.toUTCString(),
      'x-content-type-options': 'nosniff',
    },
  });
}

async function readJson(request: Request): Promise<unknown> {
  if (request.method !== 'POST') throw new HandlerRefusal('ERR_METHOD_NOT_ALLOWED', 'the upload endpoint takes POST');
  // JSON only: a cross-site page cannot send this content type without a CORS preflight.
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HandlerRefusal('ERR_BAD_REQUEST', 'the body is application/json');
  }
  const declared = Number(request.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) throw new HandlerRefusal('ERR_BAD_REQUEST', 'the body is too large');
  const text = await request.text();
  if (text.length > MAX_BODY_BYTES) throw new HandlerRefusal('ERR_BAD_REQUEST', 'the body is too large');
  try {
    return JSON.parse(text);
  } catch {
    throw new HandlerRefusal('ERR_BAD_REQUEST', 'the body is not JSON');
  }
}

/**
 * Creates the upload handler: mount `uploads.fetch` where a Web `Request` arrives (Next.js route
 * handlers, Hono, Workers, Deno, Bun) or `uploads.node` on node:http, Express or Connect.
 *
 * @example
 * ```ts
 * const uploads = createUploadHandler({
 *   presigner,
 *   secret: process.env.UPLOAD_SECRET!,
 *   authorize: async (request) => (await session(request))?.user ?? null,
 *   routes: {
 *     avatar: { maxSize: 5 * 1024 * 1024, contentTypes: ['image/*'], key: ({ auth }) => `avatars/${auth.id}/${crypto.randomUUID()}` },
 *   },
 * });
 * export const POST = (request: Request) => uploads.fetch(request);
 * ```
 */
export function createUploadHandler<Auth extends UploadAuth = UploadAuth>(
  options: UploadHandlerOptions<Auth>,
): UploadHandler {
  checkOptions(options);
  const presigner: Presigner = options.presigner;
  const routes = options.routes;
  const now = options.now ?? (() => new Date());
  const fetcher = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const tokenExpiresIn = options.tokenExpiresIn ?? DEFAULT_TOKEN_EXPIRES_IN;
  const secretKey = importSecret(options.secret);

  function routeNamed(name: string): UploadRoute<Auth> {
    const route = Object.hasOwn(routes, name) ? routes[name] : undefined;
    if (!route) throw new HandlerRefusal('ERR_UNKNOWN_ROUTE', 'no such upload route');
    return route;
  }

  async function authorise(request: Request): Promise<Auth> {
    const auth = await options.authorize(request);
    if (!auth || typeof auth.id !== 'string' || auth.id.length === 0) {
      throw new HandlerRefusal('ERR_UNAUTHORIZED', 'not signed in');
    }
    return auth;
  }

  /** The token's claims, when it is intact, unexpired, and the caller's own. */
  async function claimsOf(token: string, auth: Auth, at: Date): Promise<TokenClaims> {
    const opened = await openToken(await secretKey, token, Math.floor(at.getTime() / 1000));
    if (opened === 'invalid') throw new HandlerRefusal('ERR_FORBIDDEN', 'the upload token is not valid');
    if (opened === 'expired') throw new HandlerRefusal('ERR_FORBIDDEN', 'the upload token has expired');
    if (opened.authId !== auth.id) throw new HandlerRefusal('ERR_FORBIDDEN', 'the upload is not yours');
    routeNamed(opened.route);
    return opened;
  }

  function multipartOnly(claims: TokenClaims): void {
    if (!claims.uploadId) throw new HandlerRefusal('ERR_BAD_REQUEST', 'this upload is a single PUT');
  }

  async function create(call: Extract<ProtocolCall, { action: 'create' }>, auth: Auth, request: Request, at: Date) {
    const route = routeNamed(call.route);
    const { file } = call;
    if (file.size > route.maxSize) throw new HandlerRefusal('ERR_TOO_LARGE', `files up to ${route.maxSize} bytes`);
    if (!typeAllowed(route.contentTypes, file.type) || (route.contentTypes && !file.type)) {
      throw new HandlerRefusal('ERR_TYPE_NOT_ALLOWED', 'this type of file is not accepted here');
    }
    const contentType = file.type || 'application/octet-stream';
    const key = await route.key({ file, auth, request });
    const expiresIn = route.expiresIn;
    const claims: TokenClaims = {
      route: call.route,
      key,
      uploadId: '',
      authId: auth.id,
      size: file.size,
      contentType,
      partSize: 0,
      expiresAt: Math.floor(at.getTime() / 1000) + tokenExpiresIn,
      checksum: route.checksum ?? '',
    };
    const ifNoneMatch = route.createOnly === true ? ('*' as const) : undefined;
    const threshold = route.multipart ? route.multipart.threshold : MAX_SINGLE_PUT + 1;
    if (file.size < threshold) {
      if (file.size > MAX_SINGLE_PUT) throw new HandlerRefusal('ERR_TOO_LARGE', 'too large for one PUT');
      const token = await sealToken(await secretKey, claims);
      // With a checksum, the PUT is signed once the browser has computed it (`sign-put`).
      if (route.checksum) return { kind: 'single', key, token, checksumAlgorithm: route.checksum };
      return { kind: 'single', key, token, request: await signPut(claims, undefined, at) };
    }
    const checksumAlgorithm = route.checksum;
    const upload = await presigner.presignMultipart({
      key,
      size: file.size,
      partSize: route.multipart?.partSize,
      contentType,
      // Parts with a checksum are signed once the browser has computed theirs (`sign-parts`).
      initialParts: checksumAlgorithm ? 0 : INITIAL_PARTS,
      checksumAlgorithm,
      checksumType: checksumAlgorithm && checksumTypeOf(checksumAlgorithm),
      ifNoneMatch,
      expiresIn,
      signingDate: at,
    });
    claims.uploadId = upload.uploadId;
    claims.partSize = upload.partSize;
    return {
      kind: 'multipart',
      key,
      token: await sealToken(await secretKey, claims),
      uploadId: upload.uploadId,
      size: upload.size,
      partSize: upload.partSize,
      partCount: upload.partCount,
      parts: upload.parts,
      ...(checksumAlgorithm ? { checksumAlgorithm, checksumType: upload.checksumType } : {}),
    };
  }

  /** The single PUT of an upload: exactly the declared type and size, the checksum when the route has one. */
  function signPut(claims: TokenClaims, checksum: string | undefined, at: Date) {
    const route = routeNamed(claims.route);
    return presigner.presignPut({
      key: claims.key,
      contentType: claims.contentType,
      contentLength: claims.size,
      checksum: checksum === undefined ? undefined : { algorithm: claims.checksum as RouteChecksum, value: checksum },
      ifNoneMatch: route.createOnly === true ? '*' : undefined,
      expiresIn: route.expiresIn,
      signingDate: at,
    });
  }

  async function signSingle(claims: TokenClaims, checksum: string, at: Date) {
    if (claims.uploadId) throw new HandlerRefusal('ERR_BAD_REQUEST', 'this upload is multipart');
    if (!claims.checksum) throw new HandlerRefusal('ERR_BAD_REQUEST', 'this route signs the PUT at create');
    return { request: await signPut(claims, checksum, at) };
  }

  async function signParts(
    claims: TokenClaims,
    partNumbers: number[],
    checksums: Record<number, string> | undefined,
    at: Date,
  ) {
    multipartOnly(claims);
    const partCount = Math.max(1, Math.ceil(claims.size / claims.partSize));
    if (partNumbers.some((n) => n > partCount)) throw new HandlerRefusal('ERR_BAD_REQUEST', 'no such part');
    const parts = await presigner.presignParts({
      key: claims.key,
      uploadId: claims.uploadId,
      partNumbers,
      size: claims.size,
      partSize: claims.partSize,
      checksumAlgorithm: (claims.checksum || undefined) as RouteChecksum | undefined,
      checksums: claims.checksum ? checksums : undefined,
      expiresIn: routeNamed(claims.route).expiresIn,
      signingDate: at,
    });
    return { parts };
  }

  async function list(claims: TokenClaims) {
    multipartOnly(claims);
    const parts = await presigner.listParts({ key: claims.key, uploadId: claims.uploadId });
    return {
      parts: parts.map(({ partNumber, etag, size, checksum }) =>
        checksum === undefined ? { partNumber, etag, size } : { partNumber, etag, size, checksum },
      ),
    };
  }

  async function complete(
    claims: TokenClaims,
    call: Extract<ProtocolCall, { action: 'complete' }>,
    auth: Auth,
    request: Request,
  ) {
    if (claims.uploadId) {
      const partCount = Math.max(1, Math.ceil(claims.size / claims.partSize));
      const numbers = new Set(call.parts.map((part) => part.partNumber));
      if (numbers.size !== partCount || call.parts.some((part) => part.partNumber > partCount)) {
        throw new HandlerRefusal('ERR_BAD_REQUEST', `complete needs each of the ${partCount} parts once`);
      }
      const algorithm = (claims.checksum || undefined) as RouteChecksum | undefined;
      await presigner.completeMultipart({
        key: claims.key,
        uploadId: claims.uploadId,
        parts: call.parts,
        checksumAlgorithm: algorithm,
        checksumType: algorithm && checksumTypeOf(algorithm),
        // The whole object's CRC, combined by the browser from the parts': S3 checks it too.
        checksum: algorithm && call.checksum !== undefined ? { algorithm, value: call.checksum } : undefined,
        ifNoneMatch: routeNamed(claims.route).createOnly === true ? '*' : undefined,
      });
    }
    const object = await verifyObject(presigner, fetcher, claims);
    const upload = {
      route: claims.route,
      key: claims.key,
      size: claims.size,
      contentType: claims.contentType,
      etag: object.etag,
      auth,
      request,
    };
    const onUploadComplete = routeNamed(claims.route).onUploadComplete;
    const result = onUploadComplete ? await onUploadComplete(upload) : undefined;
    return {
      key: claims.key,
      size: claims.size,
      contentType: claims.contentType,
      etag: object.etag,
      result: result ?? null,
    };
  }

  async function abort(claims: TokenClaims) {
    if (claims.uploadId) await presigner.abortMultipart({ key: claims.key, uploadId: claims.uploadId });
    return { aborted: true };
  }

  async function dispatch(request: Request, at: Date): Promise<Record<string, unknown>> {
    const call = readCall(await readJson(request));
    const auth = await authorise(request);
    if (call.action === 'create') return create(call, auth, request, at);
    const claims = await claimsOf(call.token, auth, at);
    switch (call.action) {
      case 'sign-put':
        return signSingle(claims, call.checksum, at);
      case 'sign-parts':
        return signParts(claims, call.partNumbers, call.checksums, at);
      case 'list':
        return list(claims);
      case 'complete':
        return complete(claims, call, auth, request);
      case 'abort':
        return abort(claims);
    }
  }

  async function handle(request: Request): Promise<Response> {
    const at = now();
    try {
      return answer(200, at, await dispatch(request, at));
    } catch (error) {
      const refusal = toRefusal(error);
      if (refusal.status >= 500) options.onError?.(error);
      return answer(refusal.status, at, { error: { code: refusal.code, message: refusal.message } });
    }
  }

  return { fetch: handle, node: nodeAdapter(handle) };
}

/** What a failure becomes on the wire: a refusal as it is, S3's answers and anything else generic. */
function toRefusal(error: unknown): HandlerRefusal {
  if (error instanceof HandlerRefusal) return error;
  if (isPresignError(error, 'ERR_S3') && error.s3Code === 'NoSuchUpload') {
    return new HandlerRefusal('ERR_UPLOAD_NOT_FOUND', 'the upload no longer exists; start again');
  }
  if (isPresignError(error, 'ERR_TOO_LARGE')) return new HandlerRefusal('ERR_TOO_LARGE', 'the file is too large');
  if (isPresignError(error, 'ERR_PRECONDITION_FAILED')) {
    return new HandlerRefusal(
      'ERR_PRECONDITION_FAILED',
      'an object exists under this key and the route never overwrites',
    );
  }
  if (isPresignError(error, 'ERR_INVALID_CHECKSUM'))
    return new HandlerRefusal('ERR_BAD_REQUEST', 'a checksum is missing or malformed');
  if (isPresignError(error, 'ERR_S3') && (error.s3Code === 'BadDigest' || error.s3Code === 'InvalidPart')) {
    return new HandlerRefusal('ERR_BAD_REQUEST', 'the parts are not those the checksums describe');
  }
  if (isPresignError(error, 'ERR_S3') || isPresignError(error, 'ERR_NETWORK')) {
    return new HandlerRefusal('ERR_STORAGE', 'the storage refused or could not be reached');
  }
  return new HandlerRefusal('ERR_INTERNAL', 'the upload could not be handled');
}
