--[[
first-pulls: records the first pull of each served object by one reader (src/exchange/exchange-recorder.ts), in one
call per (collection, reader) instead of one HSETNX command per object.

KEYS[1]  the reader's first-pull hash of the collection (field = object id, value = the time of the first pull)
ARGV     pairs: object id, time of this pull (ms)

Returns one integer per pair, in order: 1 when this pull is the first (the field was created), else 0.
]]
local created = {}
for i = 1, #ARGV, 2 do
  created[#created + 1] = redis.call('HSETNX', KEYS[1], ARGV[i], ARGV[i + 1])
end
return created
