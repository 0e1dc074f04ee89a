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

local function fmt(x) return string.format('%.0f', x) end

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

for i = 1, n do
  local id, vstr, vmic, spec, rank = ARGV[a], ARGV[a + 1], ARGV[a + 2], ARGV[a + 3], ARGV[a + 4]
  local k, json, orig, dfield, vals = tonumber(ARGV[a + 5]), ARGV[a + 6], ARGV[a + 7], ARGV[a + 8], ARGV[a + 9]
  a = a + 10
  local typeKey = KEYS[9 + k]
  local entry = redis.call('HGET', KEYS[3], id)
  local list = {}
  if entry then
    for v, d, r in string.gmatch(entry, '(%d+):(%d+):(%d)') do list[#list + 1] = { tonumber(v), d, r } end
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
    holder = redis.call('HGET', KEYS[6], dfield)
    if holder == id then holder = nil end
  end
  if verdict ~= 0 then
    results[i] = verdict
  elseif holder then
    redis.call('HSET', KEYS[7], id, holder)
    results[i] = 'm:' .. holder
  else
    if dfield ~= '' then redis.call('HSET', KEYS[6], dfield, id) end
    if vals ~= '' then
      for d in string.gmatch(vals, '[^,]+') do
        local cur = redis.call('HGET', KEYS[8], d)
        if not cur then
          redis.call('HSET', KEYS[8], d, id)
        elseif not string.find(',' .. cur .. ',', ',' .. id .. ',', 1, true) then
          redis.call('HSET', KEYS[8], d, cur .. ',' .. id)
        end
      end
    end
    local da = now
    if da <= last then da = last + 1 end
    last = da
    local das = fmt(da)
    local v = da
    if vmic ~= '' then v = tonumber(vmic) end
    redis.call('HSET', KEYS[2], das, id .. '\t' .. vstr .. '\t' .. fmt(v) .. '\t' .. spec .. '\t' .. rank .. '\t' .. json)
    if orig ~= '' then redis.call('HSET', KEYS[5], das, orig) end
    local before = {}
    for j, e in ipairs(list) do before[j] = flags(j, #list) end
    -- insert keeping the list sorted by version (ties: by date_added, i.e. append)
    local pos = #list + 1
    for j = 1, #list do
      if list[j][1] > v then pos = j break end
    end
    local old = {}
    for j, e in ipairs(list) do old[e[2]] = before[j] end
    table.insert(list, pos, { v, das, rank })
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
      parts[j] = fmt(e[1]) .. ':' .. e[2] .. ':' .. e[3]
    end
    redis.call('HSET', KEYS[3], id, table.concat(parts, ','))
    results[i] = da
  end
end
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
