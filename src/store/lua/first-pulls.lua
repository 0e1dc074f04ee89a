--[[
first-pulls: records the first pull of each served object by one reader (src/exchange/exchange-recorder.ts), in one
call per (collection, reader) instead of one HSETNX command per object.

KEYS[1]  the reader's first-pull hash of the collection (field = object id, value = the time of the first pull)
ARGV     pairs: object id, time of this pull (ms)

Returns one integer per pair, in order: 1 when this pull is the first (the field was created), else 0 — what an
HSETNX per pair would answer, an id repeated in ARGV included (only its first pair creates the field).

The fields are read with HMGET and the new ones written with one HSET: a page of first pulls is one write command
(one entry in the AOF), not one per object. The script runs atomically, so no other pull comes between the two.
]]
-- HMGET/HSET arguments per call (unpack works on the Lua C stack, which holds a few thousand values)
local CHUNK = 2000
local n = #ARGV / 2
local created = {}
local seen = {}
local fresh = {}
for from = 1, n, CHUNK do
  local to = math.min(n, from + CHUNK - 1)
  local ids = {}
  for i = from, to do ids[#ids + 1] = ARGV[2 * i - 1] end
  local have = redis.call('HMGET', KEYS[1], unpack(ids))
  for i = from, to do
    local id = ARGV[2 * i - 1]
    if have[i - from + 1] == false and not seen[id] then
      seen[id] = true
      created[i] = 1
      fresh[#fresh + 1] = id
      fresh[#fresh + 1] = ARGV[2 * i]
    else
      seen[id] = true
      created[i] = 0
    end
  end
end
for from = 1, #fresh, 2 * CHUNK do
  redis.call('HSET', KEYS[1], unpack(fresh, from, math.min(#fresh, from + 2 * CHUNK - 1)))
end
return created
