// A local HTTP server whose handler gets the whole request body, for the cloud API fakes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, type RunningServer } from '../../src/runtimes/node/server.ts';

export function listenWithBody(handler: (req: IncomingMessage, res: ServerResponse, body: Buffer) => void): Promise<RunningServer> {
  return listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handler(req, res, Buffer.concat(chunks)));
  });
}
