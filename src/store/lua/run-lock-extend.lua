--[[
run-lock-extend: renews a federation run lock (src/federation/run-lock.ts), only by its holder.

KEYS[1]  the lock key (STRING, value = the holder's random token)
ARGV[1]  the holder's token
ARGV[2]  the new TTL in ms

Returns 1 when the lock was held by that token and its TTL is reset, else 0.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
