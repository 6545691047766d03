import { createHash } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { listenOnLoopback } from '../../examples/loopback.js';

/**
 * A front for the test S3 server that does what S3 documents and s3rver 4.0.4 does not:
 * - AbortMultipartUpload (s3rver verifies the request's signature, then answers 405), and afterwards
 *   NoSuchUpload to the upload's parts and completion;
 * - ListParts (s3rver answers 405 after verifying the signature): the parts it saw S3 accept, as S3's
 *   ListPartsResult (one page);
 * - NoSuchUpload to a second completion of a completed upload (s3rver answers 500 InternalError);
 * - a multipart object's ETag: the MD5 of the parts' MD5s, `-` and the number of parts (s3rver gives
 *   the MD5 of the whole object), in the completion's answer and in the object's HEAD and GET.
 * It also keeps the books of every upload it sees created, completed and aborted, so a test can prove
 * that none was left open without the library saying so.
 */
export interface MultipartFront {
  /** `http://127.0.0.1:PORT`: point the presigner (or a fault proxy) here. */
  endpoint: string;
  created: Set<string>;
  completed: Set<string>;
  aborted: Set<string>;
  /** Upload ids created and neither completed nor aborted. */
  open(): string[];
  close(): Promise<void>;
}

const noSuchUpload = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NoSuchUpload</Code><Message>The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.</Message><RequestId>FRONT</RequestId></Error>`;

/** S3's ETag of a multipart object, from the part ETags of the CompleteMultipartUpload body. */
function multipartEtag(completeXml: string): string {
  const md5s = [...completeXml.matchAll(/<ETag>(?:&quot;|")?([0-9a-f]{32})(?:&quot;|")?<\/ETag>/g)].map((m) => m[1]!);
  const digest = createHash('md5')
    .update(Buffer.from(md5s.join(''), 'hex'))
    .digest('hex');
  return `"${digest}-${md5s.length}"`;
}

async function readAll(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * `pageSize`: the most parts one ListParts answer holds when the request names no `max-parts`
 * (S3's is 1,000); smaller, it makes the caller page with `part-number-marker` as S3 documents.
 */
export async function startMultipartFront(
  target: string,
  options: { pageSize?: number } = {},
): Promise<MultipartFront> {
  const pageSize = options.pageSize ?? 1000;
  const upstream = new URL(target);
  const created = new Set<string>();
  const completed = new Set<string>();
  const aborted = new Set<string>();
  /** The S3 ETag of each object a completion made, by path, until a PUT replaces it. */
  const etags = new Map<string, string>();
  /** The parts S3 accepted, by upload id, then part number. */
  const parts = new Map<string, Map<number, { etag: string; size: number }>>();

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://front');
    const uploadId = url.searchParams.get('uploadId');
    const body = await readAll(req);
    const gone = uploadId !== null && (aborted.has(uploadId) || (completed.has(uploadId) && req.method === 'POST'));
    if (gone && req.method !== 'DELETE') {
      res.writeHead(404, { 'content-type': 'application/xml' }).end(noSuchUpload);
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      async (answer) => {
        const answerBody = await readAll(answer);
        const status = answer.statusCode ?? 502;
        const text = answerBody.toString('utf8');
        if (req.method === 'DELETE' && uploadId !== null && status === 405) {
          // The server verified the signature before refusing the method: abort as S3 does.
          if (completed.has(uploadId)) {
            res.writeHead(404, { 'content-type': 'application/xml' }).end(noSuchUpload);
          } else {
            aborted.add(uploadId);
            res.writeHead(204, { 'access-control-allow-origin': '*' }).end();
          }
          return;
        }
        if (req.method === 'GET' && uploadId !== null && status === 405) {
          // https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html: parts after the marker,
          // at most max-parts of them, and the marker to ask for the next page from.
          const marker = Number(url.searchParams.get('part-number-marker') ?? 0);
          const max = Number(url.searchParams.get('max-parts') ?? pageSize);
          const after = [...(parts.get(uploadId) ?? new Map()).entries()]
            .sort(([a], [b]) => a - b)
            .filter(([n]) => n > marker);
          const listed = after.slice(0, max);
          const truncated = after.length > listed.length;
          const next = truncated ? `<NextPartNumberMarker>${listed.at(-1)![0]}</NextPartNumberMarker>` : '';
          const xml = `<?xml version="1.0" encoding="UTF-8"?><ListPartsResult><UploadId>${uploadId}</UploadId><PartNumberMarker>${marker}</PartNumberMarker>${next}<MaxParts>${max}</MaxParts><IsTruncated>${truncated}</IsTruncated>${listed
            .map(
              ([n, part]) =>
                `<Part><PartNumber>${n}</PartNumber><ETag>${part.etag.replaceAll('"', '&quot;')}</ETag><Size>${part.size}</Size></Part>`,
            )
            .join('')}</ListPartsResult>`;
          res.writeHead(200, { 'content-type': 'application/xml', 'access-control-allow-origin': '*' }).end(xml);
          return;
        }
        const partNumber = Number(url.searchParams.get('partNumber'));
        if (req.method === 'PUT' && uploadId !== null && partNumber > 0 && status === 200) {
          const etag = answer.headers.etag;
          if (typeof etag === 'string') {
            const books = parts.get(uploadId) ?? new Map();
            books.set(partNumber, { etag, size: body.length });
            parts.set(uploadId, books);
          }
        }
        if (req.method === 'POST' && url.searchParams.has('uploads') && status === 200) {
          const id = /<UploadId>([^<]+)<\/UploadId>/.exec(text)?.[1];
          if (id) created.add(id);
        }
        if (req.method === 'POST' && uploadId !== null && status === 200 && !text.includes('<Error>')) {
          completed.add(uploadId);
          const etag = multipartEtag(body.toString('utf8'));
          etags.set(url.pathname, etag);
          const rewritten = text.replace(/<ETag>[^<]*<\/ETag>/, `<ETag>${etag.replaceAll('"', '&quot;')}</ETag>`);
          const { 'content-length': _, ...headers } = answer.headers;
          res.writeHead(status, headers).end(rewritten);
          return;
        }
        if (req.method === 'PUT' && uploadId === null) etags.delete(url.pathname);
        const etag = uploadId === null && status === 200 ? etags.get(url.pathname) : undefined;
        res.writeHead(status, etag ? { ...answer.headers, etag } : answer.headers).end(answerBody);
      },
    );
    forward.on('error', () => res.destroy());
    forward.end(body);
  });
  const { origin, close } = await listenOnLoopback(server);
  return {
    endpoint: origin,
    created,
    completed,
    aborted,
    open: () => [...created].filter((id) => !completed.has(id) && !aborted.has(id)),
    close,
  };
}
