--[[
delete-versions: removes given versions (by date_added) of one object and every index entry for them.

KEYS[1]  data HASH   KEYS[2]  objects HASH   KEYS[3]  idx ZSET   KEYS[4]  idx:t:<type> ZSET   KEYS[5]  orig HASH
KEYS[6]  ikeys HASH  KEYS[7]  values HASH

ARGV[1]  object id
ARGV[2]  its dedup field in ikeys ("" when not an indicator)
ARGV[3]  digests of the values its pattern compares, comma-separated ("" for none)
ARGV[4..] date_added values of the versions to remove

When no version is left, the object's dedup entry and value-index entries are dropped (they are left alone
while some version remains), and its objects entry shrinks to "@<producer>" when it names one: the producer
outlives the versions, so that nobody else takes the id over (store-objects.lua). The remaining versions are re-indexed when their flags change (the new latest loses
"s", the new first loses "n").

Returns the number of versions removed.
]]
local id, dfield, vals = ARGV[1], ARGV[2], ARGV[3]
local entry = redis.call('HGET', KEYS[2], id)
if not entry then return 0 end
local list = {}
for v, d, r in string.gmatch(entry, '(%d+):(%d+):(%d)') do list[#list + 1] = { v, d, r } end
local at = string.find(entry, '@', 1, true)
local producer = at and string.sub(entry, at) or ''
local drop = {}
for i = 4, #ARGV do drop[ARGV[i]] = true end

--- @include lib/flags.lua

local keep, removed = {}, 0
for j, e in ipairs(list) do
  local member = e[2] .. ':' .. e[3] .. flags(j, #list)
  if drop[e[2]] then
    removed = removed + 1
    redis.call('HDEL', KEYS[1], e[2])
    redis.call('HDEL', KEYS[5], e[2])
    redis.call('ZREM', KEYS[3], member)
    redis.call('ZREM', KEYS[4], member)
  else
    keep[#keep + 1] = { e[1], e[2], e[3], flags(j, #list) }
  end
end
if removed == 0 then return 0 end
if #keep == 0 then
  if producer == '' then redis.call('HDEL', KEYS[2], id) else redis.call('HSET', KEYS[2], id, producer) end
  if dfield ~= '' and redis.call('HGET', KEYS[6], dfield) == id then redis.call('HDEL', KEYS[6], dfield) end
  for d in string.gmatch(vals, '[^,]+') do
    local cur = redis.call('HGET', KEYS[7], d)
    if cur then
      local rest = {}
      for x in string.gmatch(cur, '[^,]+') do
        if x ~= id then rest[#rest + 1] = x end
      end
      if #rest == 0 then redis.call('HDEL', KEYS[7], d) else redis.call('HSET', KEYS[7], d, table.concat(rest, ',')) end
    end
  end
  return removed
end
local parts = {}
for j, e in ipairs(keep) do
  local f = flags(j, #keep)
  if f ~= e[4] then
    redis.call('ZREM', KEYS[3], e[2] .. ':' .. e[3] .. e[4])
    redis.call('ZREM', KEYS[4], e[2] .. ':' .. e[3] .. e[4])
    redis.call('ZADD', KEYS[3], e[2], e[2] .. ':' .. e[3] .. f)
    redis.call('ZADD', KEYS[4], e[2], e[2] .. ':' .. e[3] .. f)
  end
  parts[j] = e[1] .. ':' .. e[2] .. ':' .. e[3]
end
if producer ~= '' then parts[#parts + 1] = producer end
redis.call('HSET', KEYS[2], id, table.concat(parts, ','))
return removed
