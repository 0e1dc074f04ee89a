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

local function fmt(x) return string.format('%.0f', x) end

-- the JSON part of a stored value (after the 5th tab)
local function jsonOf(stored)
  local p = 0
  for _ = 1, 5 do p = string.find(stored, '\t', p + 1, true) end
  return string.sub(stored, p + 1)
end

-- Calls `cmd key <args...>` in slices, so no call unpacks more values than Lua's stack allows.
local function variadic(cmd, key, args)
  local size = #args
  local step = 1000
  for from = 1, size, step do
    local to = math.min(size, from + step - 1)
    redis.call(cmd, key, unpack(args, from, to))
  end
end

local function hmgetAll(key, fields)
  local out = {}
  local size = #fields
  for from = 1, size, 1000 do
    local to = math.min(size, from + 999)
    local vals = redis.call('HMGET', key, unpack(fields, from, to))
    for j = 1, #vals do out[from + j - 1] = vals[j] end
  end
  return out
end

-- Everything the batch reads is read up front (one HMGET per hash); everything it writes is collected and
-- written at the end with one variadic command per key. Reads within the batch see the batch's own writes
-- through the local tables below (the same id or dedup field may occur twice in one batch).
local ids, dfields = {}, {}
for i = 1, n do
  local a = 2 + (i - 1) * 9
  ids[i] = ARGV[a]
  if ARGV[a + 8] ~= '' then dfields[#dfields + 1] = ARGV[a + 8] end
end
local entryOf = {}
local entries = hmgetAll(KEYS[3], ids)
for i = 1, n do
  if entries[i] then entryOf[ids[i]] = entries[i] end
end
local holderOf = {}
if #dfields > 0 then
  local holders = hmgetAll(KEYS[8], dfields)
  for j = 1, #dfields do
    if holders[j] then holderOf[dfields[j]] = holders[j] end
  end
end

local lists = {}        -- id -> parsed version list, kept up to date during the batch
local changed = {}      -- ids whose version list must be written
local changedOrder = {}
local newData = {}      -- date_added -> stored value written by this batch
local dataArgs, origArgs, allArgs = {}, {}, {}
local typeAllArgs = {}  -- k -> { score, member, ... }
local latestOf, firstOf = {}, {} -- id -> { da, das, k } written at the end
local ikeyArgs, ikeyOfArgs, aliasArgs = {}, {}, {}

local function listOf(id)
  local list = lists[id]
  if list then return list end
  list = {}
  local entry = entryOf[id]
  if entry then
    for v, d in string.gmatch(entry, '(%d+):(%d+)') do list[#list + 1] = { tonumber(v), d } end
  end
  lists[id] = list
  return list
end

local function storedValue(das)
  return newData[das] or redis.call('HGET', KEYS[2], das)
end

local a = 2
for i = 1, n do
  local id, vstr, vmic, spec, rank = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local k, json, orig, dfield = tonumber(ARGV[a + 5]), ARGV[a + 6], ARGV[a + 7], ARGV[a + 8]
  a = a + 9
  local list = listOf(id)
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
    holder = holderOf[dfield]
    if holder == id then holder = nil end
  end
  if verdict ~= 0 then
    results[i] = verdict
  elseif holder then
    aliasArgs[#aliasArgs + 1] = id
    aliasArgs[#aliasArgs + 1] = holder
    results[i] = 'm:' .. holder
  else
    if dfield ~= '' then
      holderOf[dfield] = id
      ikeyArgs[#ikeyArgs + 1] = dfield
      ikeyArgs[#ikeyArgs + 1] = id
      ikeyOfArgs[#ikeyOfArgs + 1] = id
      ikeyOfArgs[#ikeyOfArgs + 1] = dfield
    end
    local da = now
    if da <= last then da = last + 1 end
    last = da
    local das = fmt(da)
    local v = da
    if vmic ~= '' then v = tonumber(vmic) end
    local value = id .. '\t' .. vstr .. '\t' .. fmt(v) .. '\t' .. spec .. '\t' .. rank .. '\t' .. json
    newData[das] = value
    dataArgs[#dataArgs + 1] = das
    dataArgs[#dataArgs + 1] = value
    if orig ~= '' then
      origArgs[#origArgs + 1] = das
      origArgs[#origArgs + 1] = orig
    end
    allArgs[#allArgs + 1] = da
    allArgs[#allArgs + 1] = das
    local ta = typeAllArgs[k]
    if not ta then ta = {} typeAllArgs[k] = ta end
    ta[#ta + 1] = da
    ta[#ta + 1] = das
    local oldLatest = list[#list]
    local oldFirst = list[1]
    -- insert keeping the list sorted by version (ties: by date_added, i.e. append)
    local pos = #list + 1
    for j = 1, #list do
      if list[j][1] > v then pos = j break end
    end
    table.insert(list, pos, { v, das })
    if pos == #list then
      -- an entry written before this batch leaves the index now; one written by this batch never reaches it
      if oldLatest and not latestOf[id] then
        redis.call('ZREM', KEYS[5], oldLatest[2])
        redis.call('ZREM', KEYS[12 + 3 * k], oldLatest[2])
      end
      latestOf[id] = { da, das, k }
    end
    if pos == 1 then
      if oldFirst and not firstOf[id] then
        redis.call('ZREM', KEYS[6], oldFirst[2])
        redis.call('ZREM', KEYS[13 + 3 * k], oldFirst[2])
      end
      firstOf[id] = { da, das, k }
    end
    if not changed[id] then
      changed[id] = true
      changedOrder[#changedOrder + 1] = id
    end
    results[i] = da
  end
end

if #dataArgs > 0 then
  variadic('HSET', KEYS[2], dataArgs)
  variadic('ZADD', KEYS[4], allArgs)
  for k, args in pairs(typeAllArgs) do variadic('ZADD', KEYS[11 + 3 * k], args) end
  local latestArgs, firstArgs, typeLatest, typeFirst = {}, {}, {}, {}
  for _, id in ipairs(changedOrder) do
    local l = latestOf[id]
    if l then
      latestArgs[#latestArgs + 1] = l[1]
      latestArgs[#latestArgs + 1] = l[2]
      local tl = typeLatest[l[3]]
      if not tl then tl = {} typeLatest[l[3]] = tl end
      tl[#tl + 1] = l[1]
      tl[#tl + 1] = l[2]
    end
    local f = firstOf[id]
    if f then
      firstArgs[#firstArgs + 1] = f[1]
      firstArgs[#firstArgs + 1] = f[2]
      local tf = typeFirst[f[3]]
      if not tf then tf = {} typeFirst[f[3]] = tf end
      tf[#tf + 1] = f[1]
      tf[#tf + 1] = f[2]
    end
  end
  if #latestArgs > 0 then variadic('ZADD', KEYS[5], latestArgs) end
  for k, args in pairs(typeLatest) do variadic('ZADD', KEYS[12 + 3 * k], args) end
  if #firstArgs > 0 then variadic('ZADD', KEYS[6], firstArgs) end
  for k, args in pairs(typeFirst) do variadic('ZADD', KEYS[13 + 3 * k], args) end
  local objectArgs = {}
  for _, id in ipairs(changedOrder) do
    local parts = {}
    for j, e in ipairs(lists[id]) do parts[j] = fmt(e[1]) .. ':' .. e[2] end
    objectArgs[#objectArgs + 1] = id
    objectArgs[#objectArgs + 1] = table.concat(parts, ',')
  end
  variadic('HSET', KEYS[3], objectArgs)
end
if #origArgs > 0 then variadic('HSET', KEYS[7], origArgs) end
if #ikeyArgs > 0 then
  variadic('HSET', KEYS[8], ikeyArgs)
  variadic('HSET', KEYS[9], ikeyOfArgs)
end
if #aliasArgs > 0 then variadic('HSET', KEYS[10], aliasArgs) end
redis.call('HSET', KEYS[1], 'last', fmt(last))
return results
