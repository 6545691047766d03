// A fake S3 behind `fetch` for the consumer's multipart tests: it answers by a script, so each
// failure (a 5xx, a lost answer, a cut-off body) happens exactly where a test puts it.

export interface Call {
  method: string;
  partNumber: number | undefined;
  body: string;
  signal: AbortSignal | undefined;
}

/** An answer now, one that comes later, a request that never ends, or a network failure. */
export type Answer = Response | Promise<Response> | 'hang' | Error;

/**
 * An in-memory S3 behind `fetch`: it reads every body, records the calls, and answers each with
 * `answer(call, attempt)` (default: 200 and an ETag for parts, a result for complete, 204 for abort, 404 for HEAD).
 */
export function fakeS3(answer: (call: Call, attempt: number) => Answer | undefined = () => undefined) {
  const calls: Call[] = [];
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const fetch = (async (input: string | URL, init: RequestInit = {}) => {
    const url = new URL(String(input));
    const method = init.method ?? 'GET';
    const n = url.searchParams.get('partNumber');
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const body = init.body ? Buffer.from(await new Response(init.body as BodyInit).arrayBuffer()).toString() : '';
      const call: Call = {
        method,
        partNumber: n === null ? undefined : Number(n),
        body,
        signal: init.signal ?? undefined,
      };
      calls.push(call);
      const id = `${method}${n ?? ''}`;
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      const chosen = answer(call, attempt);
      if (chosen === 'hang') {
        return await new Promise<Response>((_, reject) => {
          const stop = () => reject(new DOMException('aborted', 'AbortError'));
          if (init.signal?.aborted) stop();
          init.signal?.addEventListener('abort', stop);
        });
      }
      if (chosen instanceof Error) throw chosen;
      if (chosen) return await chosen;
      if (method === 'PUT') return new Response(null, { status: 200, headers: { etag: `"etag-${n}"` } });
      if (method === 'POST') {
        return new Response(
          '<?xml version="1.0"?><CompleteMultipartUploadResult><Location>https://b/k.bin</Location><ETag>&quot;whole-3&quot;</ETag></CompleteMultipartUploadResult>',
          { status: 200 },
        );
      }
      if (method === 'HEAD') return new Response(null, { status: 404 });
      return new Response(null, { status: 204 });
    } finally {
      inFlight--;
    }
  }) as typeof globalThis.fetch;
  return {
    fetch,
    calls,
    parts: () => calls.filter((c) => c.method === 'PUT').map((c) => c.partNumber),
    get maxInFlight() {
      return maxInFlight;
    },
  };
}

/** An S3 error answer; `fields` are more elements of `<Error>`, as S3 adds them to some codes. */
export function s3Error(status: number, code: string, message = 'injected', fields = ''): Response {
  return new Response(
    `<Error><Code>${code}</Code><Message>${message}</Message>${fields}<RequestId>R1</RequestId></Error>`,
    {
      status,
      headers: { 'content-type': 'application/xml' },
    },
  );
}
