--[[
rate-lease: a replica takes a lease of requests of the current rate window (src/http/rate-limit.ts).

KEYS[1] window counter (STRING, the same key as rate-acquire.lua's)
ARGV[1] requests per window   ARGV[2] window length ms   ARGV[3] lease size wanted
Returns {granted, ms left in the window}: granted = the part of the lease still under the limit (0 when the
window is spent; the counter then stays above the limit until the window ends).
]]
local rpm, windowMs, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local n = redis.call('INCRBY', KEYS[1], want)
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], windowMs); ttl = windowMs end
local before = n - want
local granted = 0
if before < rpm then granted = math.min(want, rpm - before) end
return {granted, ttl}
