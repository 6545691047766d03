import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request: pass it on, or fail it the way a flaky network or S3 does. */
export type Fault = 'pass' | 'reset' | 500 | 503;

export interface ProxiedRequest {
  method: string;
  url: string;
  fault: Fault;
}

export interface FaultProxy {
  /** `http://127.0.0.1:PORT`: sign for this endpoint (the Host header is passed through as signed). */
  endpoint: string;
  /** Every request seen, with the fault applied to it. */
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

const ERROR_XML = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>Injected by the test proxy</Message><RequestId>FAULT</RequestId></Error>`;

/**
 * A loopback HTTP proxy in front of the S3 server that injects faults chosen per request by `decide`
 * (deterministic: tests pick by counters, never by chance). A reset drops the connection after the
 * request body has started to arrive, as a lost network does mid-part.
 */
export async function startFaultProxy(
  target: string,
  decide: (req: IncomingMessage, index: number) => Fault,
): Promise<FaultProxy> {
  const upstream = new URL(target);
  const requests: ProxiedRequest[] = [];
  const server = createServer((req, res) => {
    const fault = req.method === 'OPTIONS' ? 'pass' : decide(req, requests.length);
    requests.push({ method: req.method ?? '', url: req.url ?? '', fault });
    if (fault === 'reset') {
      req.once('data', () => req.socket.destroy());
      req.once('end', () => req.socket.destroy());
      return;
    }
    if (fault !== 'pass') {
      // Drain the body first, as S3 does, so the client sees the answer and not a broken pipe.
      req.resume();
      req.once('end', () => {
        res.writeHead(fault, { 'content-type': 'application/xml', 'access-control-allow-origin': '*' });
        res.end(ERROR_XML(fault === 500 ? 'InternalError' : 'SlowDown'));
      });
      return;
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        // One connection per request, closed after it: nothing keeps the S3 server from closing.
        headers: { ...req.headers, connection: 'close' },
        agent: false,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    // A client that gives up (an aborted part) must not leave a half-sent request hanging upstream.
    res.on('close', () => {
      if (!res.writableFinished) forward.destroy();
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
