--[[
store-objects: stores a batch of object versions in one collection, atomically.

KEYS[1]  meta     HASH  field `last` = last date_added assigned (µs)
KEYS[2]  data     HASH  date_added -> "<id>\t<version>\t<versionMicros>\t<spec_version>\t<tlp rank>\t<json>"
KEYS[3]  objects  HASH  id -> "<versionMicros>:<dateAdded>:<rank>,..." sorted by version
KEYS[4]  idx      ZSET  every record; member "<dateAdded>:<rank><flags>", score dateAdded
KEYS[5]  orig     HASH  date_added -> JSON as posted, when normalization changed it
KEYS[6]  ikeys    HASH  digest of "<producer>|<indicator key>" -> indicator id holding it
KEYS[7]  alias    HASH  folded indicator id -> the id it was folded into
KEYS[8]  values   HASH  digest of a compared value -> indicator ids comparing it, comma-separated
KEYS[9+k]         idx:t:<type> ZSET for the k-th distinct type of the batch (k from 0), same members

ARGV[1]  n, the number of objects; then 10 values per object:
         id, version ("" when the object has none), versionMicros ("" likewise), spec_version, tlp rank (0-4),
         k (type index), json, original json ("" when unchanged),
         dedup field ("" unless an indicator), compared-value digests (comma-separated, "" for none)

Flags in index members (see keys.ts): "s" = superseded (not the latest version), "n" = not the first version.
When an object gains a version, its existing records whose flags change are re-indexed.
date_added = max(server time in µs, last + 1): strictly increasing within the collection.
The batch's reads of the objects, ikeys and values hashes are one HMGET each, and its writes one HSET per hash
(and one ZADD per index) at the end: a batch costs a few commands rather than several per object.

Returns an array with one value per object:
  > 0       the date_added assigned (stored)
  -1        exact duplicate of a stored version (same id, version and JSON): nothing stored
  -2        another object with the same id and version is stored (conflict): nothing stored
  "m:<id>"  an indicator with the same canonical pattern from the same producer is held under <id>: nothing
            stored, the posted id is recorded as an alias of <id> (the caller decides whether to add a version)
]]
local n = tonumber(ARGV[1])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
local results = {}
local a = 2

-- integers (µs since the epoch < 2^53) as decimal strings; %d prints them exactly, and faster than %.0f
local function fmt(x) return string.format('%d', x) end

-- the JSON part of a stored value (after the 5th tab)
local function jsonOf(stored)
  local p = 0
  for _ = 1, 5 do p = string.find(stored, '\t', p + 1, true) end
  return string.sub(stored, p + 1)
end

local function flags(i, count)
  local f = ''
  if i < count then f = 's' end
  if i > 1 then f = f .. 'n' end
  return f
end

-- new members are added once per key at the end (scores as decimal strings: exact); a member removed before
-- that is just dropped from the table
local pending = {}
local function add(key, score, member)
  local p = pending[key]
  if not p then p = {} pending[key] = p end
  p[member] = score
end
local function rem(key, member)
  local p = pending[key]
  if p and p[member] then p[member] = nil else redis.call('ZREM', key, member) end
end

-- chunked HMGET into a table keyed by field; missing fields are absent
local function hmget(key, fields)
  local out = {}
  local list = {}
  for f in pairs(fields) do list[#list + 1] = f end
  for c = 1, #list, 1000 do
    local part = {}
    for j = c, math.min(c + 999, #list) do part[#part + 1] = list[j] end
    local vals = redis.call('HMGET', key, unpack(part))
    for j = 1, #part do
      if vals[j] then out[part[j]] = vals[j] end
    end
  end
  return out
end

-- chunked HSET of a field -> value table
local function hsetAll(key, t)
  local args = {}
  for f, v in pairs(t) do
    args[#args + 1] = f
    args[#args + 1] = v
    if #args >= 2000 then
      redis.call('HSET', key, unpack(args))
      args = {}
    end
  end
  if #args > 0 then redis.call('HSET', key, unpack(args)) end
end

-- what the batch reads, fetched once
local wantIds, wantFields, wantDigests = {}, {}, {}
do
  local b = 2
  for _ = 1, n do
    wantIds[ARGV[b]] = true
    if ARGV[b + 8] ~= '' then wantFields[ARGV[b + 8]] = true end
    if ARGV[b + 9] ~= '' then
      for d in string.gmatch(ARGV[b + 9], '[^,]+') do wantDigests[d] = true end
    end
    b = b + 10
  end
end
local objectsOf = hmget(KEYS[3], wantIds)
local holders = hmget(KEYS[6], wantFields)
local valuesOf = hmget(KEYS[8], wantDigests)
-- what the batch writes, written once at the end
local newData, newOrig, dirtyObjects, dirtyHolders, dirtyValues = {}, {}, {}, {}, {}

local function storedValue(da)
  return newData[da] or redis.call('HGET', KEYS[2], da)
end

for i = 1, n do
  local id, vstr, vmic, spec, rank = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local k, json, orig, dfield, vals = tonumber(ARGV[a + 5]), ARGV[a + 6], ARGV[a + 7], ARGV[a + 8], ARGV[a + 9]
  a = a + 10
  local typeKey = KEYS[9 + k]
  local entry = objectsOf[id]
  local list = {}
  if entry then
    for v, d, r in string.gmatch(entry, '(%d+):(%d+):(%d)') do list[#list + 1] = { tonumber(v), d, r, v } end
  end
  local verdict = 0
  if vmic ~= '' then
    local want = tonumber(vmic)
    for _, e in ipairs(list) do
      if e[1] == want then
        local stored = storedValue(e[2])
        if stored and jsonOf(stored) == json then verdict = -1 else verdict = -2 end
        break
      end
    end
  else
    for _, e in ipairs(list) do
      local stored = storedValue(e[2])
      if stored and jsonOf(stored) == json then verdict = -1 break end
    end
  end
  local holder = nil
  if verdict == 0 and dfield ~= '' then
    holder = holders[dfield]
    if holder == id then holder = nil end
  end
  if verdict ~= 0 then
    results[i] = verdict
  elseif holder then
    redis.call('HSET', KEYS[7], id, holder)
    results[i] = 'm:' .. holder
  else
    if dfield ~= '' then
      holders[dfield] = id
      dirtyHolders[dfield] = id
    end
    if vals ~= '' then
      for d in string.gmatch(vals, '[^,]+') do
        local cur = valuesOf[d]
        local nv = nil
        if not cur then nv = id
        elseif not string.find(',' .. cur .. ',', ',' .. id .. ',', 1, true) then nv = cur .. ',' .. id end
        if nv then
          valuesOf[d] = nv
          dirtyValues[d] = nv
        end
      end
    end
    local da = now
    if da <= last then da = last + 1 end
    last = da
    local das = fmt(da)
    local vs = vmic
    if vs == '' then vs = das end
    newData[das] = id .. '\t' .. vstr .. '\t' .. vs .. '\t' .. spec .. '\t' .. rank .. '\t' .. json
    if orig ~= '' then newOrig[das] = orig end
    if #list == 0 then
      -- a new object (the common case): its only record is both the latest and the first version
      local member = das .. ':' .. rank
      add(KEYS[4], das, member)
      add(typeKey, das, member)
      objectsOf[id] = vs .. ':' .. das .. ':' .. rank
      dirtyObjects[id] = objectsOf[id]
    else
      local v = tonumber(vs)
      local before = {}
      for j, e in ipairs(list) do before[j] = flags(j, #list) end
      -- insert keeping the list sorted by version (ties: by date_added, i.e. append)
      local pos = #list + 1
      for j = 1, #list do
        if list[j][1] > v then pos = j break end
      end
      local old = {}
      for j, e in ipairs(list) do old[e[2]] = before[j] end
      table.insert(list, pos, { v, das, rank, vs })
      local parts = {}
      for j, e in ipairs(list) do
        local f = flags(j, #list)
        if e[2] == das then
          add(KEYS[4], das, das .. ':' .. rank .. f)
          add(typeKey, das, das .. ':' .. rank .. f)
        elseif old[e[2]] ~= f then
          local was = e[2] .. ':' .. e[3] .. old[e[2]]
          local now_ = e[2] .. ':' .. e[3] .. f
          rem(KEYS[4], was)
          rem(typeKey, was)
          add(KEYS[4], e[2], now_)
          add(typeKey, e[2], now_)
        end
        parts[j] = e[4] .. ':' .. e[2] .. ':' .. e[3]
      end
      local joined = table.concat(parts, ',')
      objectsOf[id] = joined
      dirtyObjects[id] = joined
    end
    results[i] = da
  end
end
hsetAll(KEYS[2], newData)
hsetAll(KEYS[5], newOrig)
hsetAll(KEYS[3], dirtyObjects)
hsetAll(KEYS[6], dirtyHolders)
hsetAll(KEYS[8], dirtyValues)
for key, members in pairs(pending) do
  local args = {}
  for m, score in pairs(members) do
    args[#args + 1] = score
    args[#args + 1] = m
    if #args >= 2000 then
      redis.call('ZADD', key, unpack(args))
      args = {}
    end
  end
  if #args > 0 then redis.call('ZADD', key, unpack(args)) end
end
redis.call('HSET', KEYS[1], 'last', fmt(last))
return results
