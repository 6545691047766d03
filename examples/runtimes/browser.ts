// The browser side of presign-route.ts: ask for a descriptor, then send the file exactly as signed.
// `s3-presign/consumer` has no dependency and no Node built-in; any bundler (Vite, webpack, esbuild,
// Parcel) takes it as it is.
import { isPresignError, type PresignedRequest, upload } from '../../src/consumer/index.js';

export async function uploadPicked(
  file: File,
  onPercent: (percent: number) => void,
  endpoint = '/api/presign',
): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json' }, // or the server's body parser sees nothing
    body: JSON.stringify({ key: file.name, size: file.size, type: file.type }),
  });
  if (!response.ok) throw new Error(`presign refused: ${response.status}`);
  const put: PresignedRequest = await response.json();
  try {
    const { etag } = await upload(put, file, { onProgress: ({ percent }) => onPercent(percent ?? 0) });
    return etag ?? '';
  } catch (error) {
    if (isPresignError(error, 'ERR_EXPIRED')) throw new Error('The upload link expired: pick the file again');
    throw error;
  }
}
