--[[
hash-field-swap: replaces one field of a hash only if it still holds the value the caller read, so that of
several processes taking over the same record (the inquiry notifier's outbox, src/inquiries/notifier.ts) exactly
one wins.

KEYS[1]  the hash
ARGV[1]  the field
ARGV[2]  the value the caller read
ARGV[3]  the new value

Returns 1 when the field held ARGV[2] and now holds ARGV[3], else 0 (another process changed it first).
]]
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
