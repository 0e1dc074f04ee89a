/** The pool of response body buffers: big enough buffers, reuse after release, bounded size and count. */
import { BodyBufferPool } from '../../../src/http/respond';

describe('BodyBufferPool', () => {
  it('when a buffer is asked for, then it holds at least the size, in power-of-two steps from 64 KB', () => {
    const pool = new BodyBufferPool();
    expect(pool.acquire(10).length).toBe(64 * 1024);
    expect(pool.acquire(64 * 1024 + 1).length).toBe(128 * 1024);
    expect(pool.acquire(600_000).length).toBe(1024 * 1024);
  });

  it('when a buffer is released, then the next request that fits gets it back, and no two holders share one', () => {
    const pool = new BodyBufferPool();
    const a = pool.acquire(100_000);
    const b = pool.acquire(100_000);
    expect(a).not.toBe(b);
    pool.release(a);
    expect(pool.acquire(50_000)).toBe(a);
    expect(pool.acquire(50_000)).not.toBe(a);
  });

  it('when a released buffer is too small for the request, then a new one is allocated', () => {
    const pool = new BodyBufferPool();
    const small = pool.acquire(1000);
    pool.release(small);
    const big = pool.acquire(500_000);
    expect(big).not.toBe(small);
    expect(pool.acquire(1000)).toBe(small);
  });

  it('when bodies exceed the largest pooled size, then their buffers are never kept', () => {
    const pool = new BodyBufferPool(4, 256 * 1024);
    const huge = pool.acquire(300_000);
    expect(huge.length).toBe(300_000);
    pool.release(huge);
    expect(pool.acquire(300_000)).not.toBe(huge);
  });

  it('when more buffers are released than the pool keeps, then the larger ones are kept', () => {
    const pool = new BodyBufferPool(2);
    const sizes = [64 * 1024, 128 * 1024, 256 * 1024];
    const bufs = sizes.map((s) => pool.acquire(s));
    for (const b of bufs) pool.release(b);
    expect(pool.acquire(200 * 1024)).toBe(bufs[2]);
    expect(pool.acquire(100 * 1024)).toBe(bufs[1]);
    expect(pool.acquire(10)).not.toBe(bufs[0]);
  });
});
