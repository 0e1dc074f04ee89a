/**
 * first-pulls.lua (the exchange recorder's first-pull recording): one HMGET and one HSET per call, answering for
 * each pair exactly what one HSETNX per pair would, repeated ids and calls longer than the script's chunk included.
 */
import type Redis from 'ioredis';
import { defineStoreScripts } from '../../../src/store/scripts';
import { connectTestRedis, isolatedKeys } from '../../helpers/redis';

describe('first-pulls.lua', () => {
  let redis: Redis;
  const keys = isolatedKeys();
  const script = keys.exchange('11111111-2222-4333-8444-555555555555').firstPulls('reader');
  const reference = `${script}:hsetnx-reference`;

  beforeAll(async () => {
    redis = connectTestRedis();
    defineStoreScripts(redis);
    await redis.ping();
  });

  afterAll(async () => {
    await redis.del(script, reference);
    await redis.quit();
  });

  /** The answers of one HSETNX per pair on the reference hash. */
  async function hsetnxEach(pairs: readonly string[]): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i + 1 < pairs.length; i += 2) out.push(await redis.hsetnx(reference, pairs[i] ?? '', pairs[i + 1] ?? ''));
    return out;
  }

  it('when ids are new, known or repeated in one call, then each answer and the stored hash are those of HSETNX per pair', async () => {
    const calls: string[][] = [
      ['indicator--a', '100', 'indicator--b', '100'],
      // b known, c new, c repeated (the first pair creates it, with its own time), a known
      ['indicator--b', '200', 'indicator--c', '200', 'indicator--c', '250', 'indicator--a', '200'],
      ['indicator--d', '300'],
    ];
    for (const pairs of calls) {
      const answers = await redis.gwFirstPulls(1, script, ...pairs);
      expect(answers).toEqual(await hsetnxEach(pairs));
    }
    expect(await redis.hgetall(script)).toEqual(await redis.hgetall(reference));
    expect(await redis.hget(script, 'indicator--c')).toBe('200');
  });

  it('when a call holds more pairs than the script reads at once, then every pair is still answered and recorded', async () => {
    const pairs: string[] = [];
    // 4 500 pairs (three chunks), every third one an object recorded by the first test or repeated here
    for (let i = 0; i < 4500; i++)
      pairs.push(i % 3 === 0 ? `indicator--${['a', 'b', 'x0'][i % 9 === 0 ? 0 : 2]}` : `indicator--x${i}`, String(400 + i));
    const answers = await redis.gwFirstPulls(1, script, ...pairs);
    expect(answers).toHaveLength(4500);
    expect(answers).toEqual(await hsetnxEach(pairs));
    expect(await redis.hgetall(script)).toEqual(await redis.hgetall(reference));
  });
});
