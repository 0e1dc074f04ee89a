/**
 * Fewer socket writes to Redis under concurrency. Every command ioredis sends is one `write` on the
 * connection's socket, and on a busy machine that system call (which wakes the Redis process) costs as much as
 * the command's own work in the API (bench/RESULTS.md, "API CPU per page"). `coalesceWrites` corks the socket
 * until the end of the current event-loop turn (`setImmediate`): the commands of every request handled in that
 * turn leave in one `writev`, and Redis reads them with one `read`. An idle process loses nothing (the turn
 * ends right after the request's callback); a busy one, where several requests and replies are handled per
 * turn, writes once per turn instead of once per command.
 *
 * Order and replies are unchanged: corking only delays the bytes, and ioredis matches replies to commands by
 * their order on the connection. Clusters are left alone (their commands go to several sockets).
 */
import Redis, { type Cluster } from 'ioredis';

/** The sockets currently corked (at most one per connection; WeakSet: a replaced socket is simply dropped). */
const corked = new WeakSet<object>();

/** Holds the connection's writes until the end of this event-loop turn; call it before sending commands. */
export function coalesceWrites(redis: Redis | Cluster): void {
  if (!(redis instanceof Redis) || redis.status !== 'ready') return;
  const stream = redis.stream;
  if (corked.has(stream) || !stream.writable) return;
  corked.add(stream);
  stream.cork();
  setImmediate(() => {
    corked.delete(stream);
    stream.uncork();
  });
}
