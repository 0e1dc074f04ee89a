--[[
store-objects: stores a batch of object versions in one collection, atomically.

KEYS[1]  meta      HASH  field `last` = last date_added assigned (µs)
KEYS[2]  data      HASH  date_added -> "<id>\t<version>\t<versionMicros>\t<spec_version>\t<tlp rank>\t<json>"
KEYS[3]  objects   HASH  id -> "<versionMicros>:<dateAdded>,..." sorted by version
KEYS[4]  idx:all   ZSET  every version
KEYS[5]  idx:latest ZSET latest version of each object
KEYS[6]  idx:first ZSET  first version of each object
KEYS[7]  orig      HASH  date_added -> JSON as posted, when normalization changed it
KEYS[8]  ikeys     HASH  "<producer>|<indicator key>" -> indicator id holding it
KEYS[9]  ikeyof    HASH  indicator id -> its field in ikeys
KEYS[10] alias     HASH  folded indicator id -> the id it was folded into
KEYS[11+3k], KEYS[12+3k], KEYS[13+3k]  idx:all/latest/first for the k-th distinct type of the batch (k from 0)

ARGV[1]  n, the number of objects; then 9 values per object:
         id, version ("" when the object has none), versionMicros ("" likewise), spec_version, tlp rank (0-4),
         k (type index), json, original json ("" when unchanged),
         dedup field ("" for objects that are not deduplicated: "<producer>|<indicator key>" for indicators)

date_added = max(server time in µs, last + 1): strictly increasing within the collection, so it is unique
and paging by date_added never skips or repeats a record.

Returns an array with one integer per object:
  > 0  the date_added assigned (stored)
  -1   exact duplicate of a stored version (same id, version and JSON): nothing stored
  -2   another object with the same id and version is stored (conflict): nothing stored
  "m:<id>"  an indicator with the same canonical pattern from the same producer is held under <id>: nothing
       stored, the posted id is recorded as an alias of <id> (the caller decides whether to add a version)
]]
local n = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local results = {}
local a = 2

local function fmt(x) return string.format('%.0f', x) end

-- the JSON part of a stored value (after the 5th tab)
local function jsonOf(stored)
  local p = 0
  for _ = 1, 5 do p = string.find(stored, '\t', p + 1, true) end
  return string.sub(stored, p + 1)
end

for i = 1, n do
  local id, vstr, vmic, spec, rank = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local k, json, orig, dfield = tonumber(ARGV[a + 5]), ARGV[a + 6], ARGV[a + 7], ARGV[a + 8]
  a = a + 9
  local entry = redis.call('HGET', KEYS[3], id)
  local list = {}
  if entry then
    for v, d in string.gmatch(entry, '(%d+):(%d+)') do list[#list + 1] = { tonumber(v), d } end
  end
  local verdict = 0
  if vmic ~= '' then
    local want = tonumber(vmic)
    for _, e in ipairs(list) do
      if e[1] == want then
        local stored = redis.call('HGET', KEYS[2], e[2])
        if stored and jsonOf(stored) == json then verdict = -1 else verdict = -2 end
        break
      end
    end
  else
    for _, e in ipairs(list) do
      local stored = redis.call('HGET', KEYS[2], e[2])
      if stored and jsonOf(stored) == json then verdict = -1 break end
    end
  end
  local holder = nil
  if verdict == 0 and dfield ~= '' then
    holder = redis.call('HGET', KEYS[8], dfield)
    if holder == id then holder = nil end
  end
  if verdict ~= 0 then
    results[i] = verdict
  elseif holder then
    redis.call('HSET', KEYS[10], id, holder)
    results[i] = 'm:' .. holder
  else
    if dfield ~= '' then
      redis.call('HSET', KEYS[8], dfield, id)
      redis.call('HSET', KEYS[9], id, dfield)
    end
    local da = now
    if da <= last then da = last + 1 end
    last = da
    local das = fmt(da)
    local v = da
    if vmic ~= '' then v = tonumber(vmic) end
    redis.call('HSET', KEYS[2], das, id .. '\t' .. vstr .. '\t' .. fmt(v) .. '\t' .. spec .. '\t' .. rank .. '\t' .. json)
    if orig ~= '' then redis.call('HSET', KEYS[7], das, orig) end
    local tAll, tLatest, tFirst = KEYS[11 + 3 * k], KEYS[12 + 3 * k], KEYS[13 + 3 * k]
    redis.call('ZADD', KEYS[4], da, das)
    redis.call('ZADD', tAll, da, das)
    local oldLatest = list[#list]
    local oldFirst = list[1]
    -- insert keeping the list sorted by version (ties: by date_added, i.e. append)
    local pos = #list + 1
    for j = 1, #list do
      if list[j][1] > v then pos = j break end
    end
    table.insert(list, pos, { v, das })
    if pos == #list then
      if oldLatest then
        redis.call('ZREM', KEYS[5], oldLatest[2])
        redis.call('ZREM', tLatest, oldLatest[2])
      end
      redis.call('ZADD', KEYS[5], da, das)
      redis.call('ZADD', tLatest, da, das)
    end
    if pos == 1 then
      if oldFirst then
        redis.call('ZREM', KEYS[6], oldFirst[2])
        redis.call('ZREM', tFirst, oldFirst[2])
      end
      redis.call('ZADD', KEYS[6], da, das)
      redis.call('ZADD', tFirst, da, das)
    end
    local parts = {}
    for j, e in ipairs(list) do parts[j] = fmt(e[1]) .. ':' .. e[2] end
    redis.call('HSET', KEYS[3], id, table.concat(parts, ','))
    results[i] = da
  end
end
redis.call('HSET', KEYS[1], 'last', fmt(last))
return results
