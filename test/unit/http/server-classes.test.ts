import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { serverClassesFor } from '../../../src/http/server-classes';

async function withServer(app: express.Express, run: (base: string) => Promise<void>): Promise<void> {
  const server = http.createServer({ ...serverClassesFor(app) }, app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  try {
    await run(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('serverClassesFor', () => {
  it('when a server uses the classes, then requests and responses are born with the app prototypes and express works as usual', async () => {
    const app = express();
    const prototypes = app as unknown as { request: object; response: object };
    const seen: { req?: boolean; res?: boolean; instances?: boolean } = {};
    app.get('/items/:id', (req, res) => {
      seen.req = Object.getPrototypeOf(req) === prototypes.request;
      seen.res = Object.getPrototypeOf(res) === prototypes.response;
      seen.instances = req instanceof http.IncomingMessage && res instanceof http.ServerResponse;
      res.status(201).json({ id: req.params['id'], query: req.query, host: req.hostname });
    });
    await withServer(app, async (base) => {
      for (let i = 0; i < 3; i++) {
        const r = await fetch(`${base}/items/a${i}?x=1`);
        expect(r.status).toBe(201);
        expect(await r.json()).toEqual({ id: `a${i}`, query: { x: '1' }, host: '127.0.0.1' });
      }
      const missing = await fetch(`${base}/nothing`);
      expect(missing.status).toBe(404);
    });
    expect(seen).toEqual({ req: true, res: true, instances: true });
  });

  it('when the request body is streamed, then it reads as with Node classes', async () => {
    const app = express();
    app.post('/echo', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => res.type('text/plain').send(Buffer.concat(chunks).toString('utf8').toUpperCase()));
    });
    await withServer(app, async (base) => {
      const r = await fetch(`${base}/echo`, { method: 'POST', body: 'x'.repeat(200_000) });
      expect(await r.text()).toBe('X'.repeat(200_000));
    });
  });

  it('when the handler is not an express app, then Node classes are kept', () => {
    expect(serverClassesFor({})).toEqual({});
    expect(serverClassesFor((_req: http.IncomingMessage, res: http.ServerResponse) => res.end())).toEqual({});
  });
});
