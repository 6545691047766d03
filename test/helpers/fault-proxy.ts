import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../../examples/loopback.js';

/**
 * What the proxy does with one request: pass it on; drop the connection before passing it on
 * (`reset`); answer a 500 or 503 as S3 does when it is unwell; pass it on but hold the response back
 * `slowFirstByteMs` (`slow`); or pass it on and drop the connection halfway through the answer's body,
 * after the server did what was asked (`truncate`: the answer is lost, the effect is not).
 */
export type Fault = 'pass' | 'reset' | 500 | 503 | 'slow' | 'truncate';

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: sign for this endpoint; the Host header reaches the server as signed. */
  endpoint: string;
  /** Faults for the next requests, consumed in order; then everything passes. */
  faults: Fault[];
  /** The fault applied to each request seen, in order. */
  seen: Fault[];
  close(): Promise<void>;
}

const ERROR_XML = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>Injected by the fault proxy</Message><RequestId>FAULT</RequestId></Error>`;

/** Sends the first half of the answer's body (its headers already sent), then drops the connection. */
function truncate(answer: IncomingMessage, res: ServerResponse): void {
  const chunks: Buffer[] = [];
  answer.on('data', (chunk: Buffer) => chunks.push(chunk));
  answer.on('end', () => {
    const body = Buffer.concat(chunks);
    res.flushHeaders();
    res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
  });
}

/** A loopback HTTP proxy in front of `target` that injects the faults queued in `faults`, deterministically. */
export async function startFaultProxy(target: string, options: { slowFirstByteMs?: number } = {}): Promise<FaultProxy> {
  const upstream = new URL(target);
  const faults: Fault[] = [];
  const seen: Fault[] = [];
  const server = createServer((req, res) => {
    const fault = req.method === 'OPTIONS' ? 'pass' : (faults.shift() ?? 'pass');
    seen.push(fault);
    if (fault === 'reset') {
      req.socket.destroy();
      return;
    }
    if (fault === 500 || fault === 503) {
      // Read the body first, as S3 does, so the client sees the answer rather than a broken pipe.
      req.resume();
      req.once('end', () => {
        res.writeHead(fault, { 'content-type': 'application/xml', 'access-control-allow-origin': '*' });
        res.end(ERROR_XML(fault === 500 ? 'InternalError' : 'SlowDown'));
      });
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const reply = () => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (fault === 'truncate') return truncate(answer, res);
          answer.pipe(res);
        };
        if (fault === 'slow') setTimeout(reply, options.slowFirstByteMs ?? 300);
        else reply();
      },
    );
    forward.on('error', () => res.destroy());
    // A client that goes away mid-body must not leave the upstream request hanging (the server
    // would then wait for it on close).
    res.on('close', () => {
      if (!res.writableFinished) forward.destroy();
    });
    req.pipe(forward);
  });
  const { origin, close } = await listenOnLoopback(server);
  return { endpoint: origin, faults, seen, close };
}
