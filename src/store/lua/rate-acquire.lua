--[[
rate-acquire: one request of a principal against its rate window and concurrency limit (src/http/rate-limit.ts).

KEYS[1] window counter (STRING), KEYS[2] in-flight tokens (ZSET, score = expiry in ms)
ARGV[1] requests per window (0 = unlimited)   ARGV[2] window length ms
ARGV[3] max concurrent (0 = unlimited)        ARGV[4] token   ARGV[5] token ttl ms
Returns {0, 0} admitted (token added when ARGV[3] > 0), {1, ms left in window} over the rate,
{2, 1000} over the concurrency limit.
]]
local rpm, windowMs, maxc = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if rpm > 0 then
  local n = redis.call('INCR', KEYS[1])
  if n == 1 then redis.call('PEXPIRE', KEYS[1], windowMs) end
  if n > rpm then
    local ttl = redis.call('PTTL', KEYS[1])
    if ttl < 0 then redis.call('PEXPIRE', KEYS[1], windowMs); ttl = windowMs end
    return {1, ttl}
  end
end
if maxc > 0 then
  local t = redis.call('TIME')
  local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  if redis.call('ZCARD', KEYS[2]) >= maxc then return {2, 1000} end
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[5]), ARGV[4])
  redis.call('PEXPIRE', KEYS[2], tonumber(ARGV[5]))
end
return {0, 0}
