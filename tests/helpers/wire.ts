import { request as httpRequest } from 'node:http';

export interface Wire {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** What travelled, before any decoding. */
  bytes: number;
  body: Buffer;
}

/** A request that counts the bytes as they travel (fetch would decompress them first). */
export function onTheWire(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Wire> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: body.length, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}
