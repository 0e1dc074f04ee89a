import { FederationError } from '../../../src/federation/federation-error';
import type { HttpRequest, HttpResponse } from '../../../src/federation/http-transport';
import { TaxiiClient, remoteTimestamp, retryAfterMs } from '../../../src/federation/taxii-client';

function reply(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    headers: { 'content-type': 'application/taxii+json;version=2.1', ...headers },
    body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

/** A client over a scripted transport: each request takes the next reply; waits are recorded, not slept. */
function scripted(replies: HttpResponse[]): { client: TaxiiClient; requests: HttpRequest[]; waits: number[] } {
  const requests: HttpRequest[] = [];
  const waits: number[] = [];
  const client = new TaxiiClient({
    apiRoot: 'https://remote.example/api1',
    authorization: 'Bearer t0ken',
    maxRetries: 3,
    backoffMs: 100,
    transport: async (req) => {
      requests.push(req);
      const r = replies.shift();
      if (r === undefined) throw new FederationError('NETWORK', 'no more replies');
      return r;
    },
    sleep: async (ms) => {
      waits.push(ms);
    },
  });
  return { client, requests, waits };
}

describe('TaxiiClient', () => {
  it('when a page comes with a version-less media type and millisecond headers, then it is read with their instants', async () => {
    const { client, requests } = scripted([
      reply(
        200,
        { more: true, objects: [{ id: 'indicator--1' }] },
        { 'content-type': 'application/taxii+json', 'x-taxii-date-added-last': '2024-01-01T00:00:00.123Z' },
      ),
    ]);
    const page = await client.getObjects('c1', { limit: 10, match: { type: ['indicator', 'malware'] } });
    expect(page.objects).toHaveLength(1);
    expect(page.more).toBe(true);
    expect(page.next).toBeUndefined();
    expect(page.dateAddedLast?.micros).toBe(remoteTimestamp('2024-01-01T00:00:00.123000Z')?.micros);
    expect(requests[0]?.url).toBe('https://remote.example/api1/collections/c1/objects/?limit=10&match%5Btype%5D=indicator%2Cmalware');
    expect(requests[0]?.headers['authorization']).toBe('Bearer t0ken');
  });

  it('when the server answers 503 and 429 with Retry-After, then the request is retried after the given delays', async () => {
    const { client, waits } = scripted([
      reply(503, { title: 'busy' }, { 'retry-after': '2' }),
      reply(429, { title: 'slow down' }, { 'retry-after': '0' }),
      reply(200, { objects: [] }),
    ]);
    const page = await client.getObjects('c1', {});
    expect(page.objects).toEqual([]);
    expect(waits).toEqual([2000, 0]);
  });

  it('when the server keeps failing, then the last error is thrown after the retries', async () => {
    const { client, requests } = scripted([reply(500, {}), reply(500, {}), reply(500, {}), reply(500, { title: 'down' })]);
    await expect(client.getObjects('c1', {})).rejects.toThrow(/answered 500: down/);
    expect(requests).toHaveLength(4);
  });

  it('when the server answers 401, then it is not retried', async () => {
    const { client, requests } = scripted([reply(401, { title: 'Unauthorized' })]);
    await expect(client.collections()).rejects.toMatchObject({ code: 'HTTP_STATUS', opts: { httpStatus: 401 } });
    expect(requests).toHaveLength(1);
  });

  it('when an envelope field has the wrong shape, then the error names the URL and the field', async () => {
    const { client } = scripted([reply(200, { objects: [{ id: 'x' }, 'nope'] })]);
    await expect(client.getObjects('c1', {})).rejects.toThrow(
      'GET https://remote.example/api1/collections/c1/objects/: objects[1] must be a JSON object',
    );
  });

  it('when a 200 answer is HTML, then it is a BAD_RESPONSE', async () => {
    const { client } = scripted([{ status: 200, headers: { 'content-type': 'text/html' }, body: Buffer.from('<html>') }]);
    await expect(client.apiRootInfo()).rejects.toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('when a POST is answered 200 with status completed, then the status reads as complete', async () => {
    const { client } = scripted([
      reply(200, {
        id: 's1',
        status: 'completed',
        total_count: 1,
        success_count: 1,
        successes: [{ id: 'indicator--1', version: '2024-01-01T00:00:00Z' }],
        failure_count: 0,
        pending_count: 0,
      }),
    ]);
    const s = await client.addObjects('c1', [{ id: 'indicator--1' }]);
    expect(s).toMatchObject({ id: 's1', status: 'complete', success_count: 1, failures: [] });
  });

  it('when a status is pending, then it is polled until complete', async () => {
    const { client, requests } = scripted([
      reply(202, {
        id: 's2',
        status: 'pending',
        total_count: 1,
        success_count: 0,
        failure_count: 0,
        pending_count: 1,
        pendings: [{ id: 'indicator--1' }],
      }),
      reply(200, { id: 's2', status: 'pending', total_count: 1, success_count: 0, failure_count: 0, pending_count: 1 }),
      reply(200, {
        id: 's2',
        status: 'complete',
        total_count: 1,
        success_count: 0,
        failure_count: 1,
        failures: [{ id: 'indicator--1', message: 'bad' }],
        pending_count: 0,
      }),
    ]);
    const final = await client.waitStatus(await client.addObjects('c1', [{}]), 60_000, 1);
    expect(final.failures).toEqual([{ id: 'indicator--1', message: 'bad' }]);
    expect(requests.map((r) => r.url)).toEqual([
      'https://remote.example/api1/collections/c1/objects/',
      'https://remote.example/api1/status/s2/',
      'https://remote.example/api1/status/s2/',
    ]);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['7', 7000],
    ['Wed, 21 Oct 2015 07:28:10 GMT', 10_000],
    ['soon', undefined],
  ])('when Retry-After is %s, then the wait is %s ms', (value, expected) => {
    expect(retryAfterMs(value, Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(expected);
  });
});
