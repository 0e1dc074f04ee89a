--[[
delete-versions: removes given versions (by date_added) of one object and every index entry for them.

KEYS[1]  data HASH        KEYS[2]  objects HASH     KEYS[3]  idx:all     KEYS[4]  idx:latest
KEYS[5]  idx:first        KEYS[6]  orig HASH        KEYS[7]  idx:all:t   KEYS[8]  idx:latest:t
KEYS[9]  idx:first:t      (t = the object's type)
KEYS[10] ikeys HASH       KEYS[11] ikeyof HASH

ARGV[1]  object id
ARGV[2..] date_added values of the versions to remove

Returns { removed, gone }: the number of versions removed, and "" — or, when no version of the object is left,
the stored value of the last version removed (its dedup entry is dropped here; the caller uses the value to drop
it from the cross-collection lookup index). When the latest (or first) version goes, the next one in version
order becomes the latest (first) and is indexed with its own date_added.
]]
local id = ARGV[1]
local entry = redis.call('HGET', KEYS[2], id)
if not entry then return { 0, '' } end
local list = {}
for v, d in string.gmatch(entry, '(%d+):(%d+)') do list[#list + 1] = { v, d } end
local drop = {}
for i = 2, #ARGV do drop[ARGV[i]] = true end
local oldLatest, oldFirst = list[#list][2], list[1][2]
local keep, removed = {}, 0
local lastRemoved = ''
for _, e in ipairs(list) do
  if drop[e[2]] then
    removed = removed + 1
    lastRemoved = redis.call('HGET', KEYS[1], e[2]) or ''
    redis.call('HDEL', KEYS[1], e[2])
    redis.call('HDEL', KEYS[6], e[2])
    redis.call('ZREM', KEYS[3], e[2])
    redis.call('ZREM', KEYS[7], e[2])
  else
    keep[#keep + 1] = e
  end
end
if removed == 0 then return { 0, '' } end
local gone = ''
if #keep == 0 then
  redis.call('HDEL', KEYS[2], id)
  local field = redis.call('HGET', KEYS[11], id)
  if field then
    if redis.call('HGET', KEYS[10], field) == id then redis.call('HDEL', KEYS[10], field) end
    redis.call('HDEL', KEYS[11], id)
  end
  gone = lastRemoved
else
  local parts = {}
  for j, e in ipairs(keep) do parts[j] = e[1] .. ':' .. e[2] end
  redis.call('HSET', KEYS[2], id, table.concat(parts, ','))
end
local newLatest, newFirst = nil, nil
if #keep > 0 then newLatest, newFirst = keep[#keep][2], keep[1][2] end
if newLatest ~= oldLatest then
  redis.call('ZREM', KEYS[4], oldLatest)
  redis.call('ZREM', KEYS[8], oldLatest)
  if newLatest then
    redis.call('ZADD', KEYS[4], newLatest, newLatest)
    redis.call('ZADD', KEYS[8], newLatest, newLatest)
  end
end
if newFirst ~= oldFirst then
  redis.call('ZREM', KEYS[5], oldFirst)
  redis.call('ZREM', KEYS[9], oldFirst)
  if newFirst then
    redis.call('ZADD', KEYS[5], newFirst, newFirst)
    redis.call('ZADD', KEYS[9], newFirst, newFirst)
  end
end
return { removed, gone }
