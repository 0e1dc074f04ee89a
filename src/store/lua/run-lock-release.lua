--[[
run-lock-release: releases a federation run lock (src/federation/run-lock.ts), only by its holder.

KEYS[1]  the lock key (STRING, value = the holder's random token)
ARGV[1]  the holder's token

Returns 1 when the lock was held by that token and is now deleted, else 0.
]]
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
