--[[
store-objects: stores a batch of object versions in one collection, atomically.

KEYS[1]  meta     HASH  field `last` = last date_added assigned (µs)
KEYS[2]  data     HASH  date_added -> "<id>\t<version>\t<versionMicros>\t<spec_version>\t<tlp rank>\t<json>"
KEYS[3]  objects  HASH  id -> "<versionMicros>:<dateAdded>:<rank>,...[,@<producer>]" sorted by version; the
                        producer (identity of the writer that first stored the id) ends the entry, and stays as
                        "@<producer>" alone when every version is deleted (delete-versions.lua)
KEYS[4]  idx      ZSET  every record; member "<dateAdded>:<rank><flags>", score dateAdded
KEYS[5]  orig     HASH  date_added -> JSON as posted, when normalization changed it
KEYS[6]  ikeys    HASH  digest of "<producer>|<indicator key>" -> indicator id holding it
KEYS[7]  alias    HASH  folded indicator id -> the id it was folded into
KEYS[8]  values   HASH  digest of a compared value -> indicator ids comparing it, comma-separated
KEYS[9]  owners   HASH  the previous format's producers (id -> identity): read, never written. A collection stored
                        before the producer moved into `objects` keeps its producers there; the key exists only
                        then, so a collection without it costs no read
KEYS[10] refby    HASH  id -> "1" when some object references it; its referrers are in the SET ARGV[7] .. id
KEYS[11+k]        idx:t:<type> ZSET for the k-th distinct type of the batch (k from 0), same members

ARGV[1]  n, the number of objects
ARGV[2]  the writer's identity; "" = a trusted internal caller (no producer or visibility rule, no owner kept)
ARGV[3]  the writer's clearance: records ranked at or below it are the ones the writer may read
ARGV[4]  "1" when the writer is an admin (may version any object; still sees only what it may read)
ARGV[5]  date_added spacing: two lowercase hex digits per object, the random part of each step of the clock
ARGV[6]  prefix of the per-type index keys (re-ranked records of other types are re-indexed there)
ARGV[7]  prefix of the referrer SETs (ARGV[7] .. id: the ids of the objects whose references name id)
then 3 values per object (few large arguments: each one costs the caller's encoding and Redis's parsing):
         its header, 10 fields joined by tabs (none holds a tab: the caller checks the ones that come from the
         object):
           id, version ("" when the object has none), versionMicros ("" likewise), spec_version, tlp rank (0-5),
           k (type index), dedup field ("" unless an indicator), compared-value digests (comma-separated, ""
           for none), owned ("1": the object has a producer, "0": SCOs and official markings, which nobody
           owns), referenced ids (comma-separated; "" for none)
         json
         original json ("" when unchanged)

Flags in index members (see keys.ts): "s" = superseded (not the latest version), "n" = not the first version.
When an object gains a version, its existing records whose flags change are re-indexed.
date_added = max(server time in µs, last + step), step = 1 + a random 0..31 from ARGV[5]: strictly increasing
within the collection, and within one batch the gap between two records no longer counts the records between
them (docs/security.md, "Threat model").

Ranks are effective ranks: a record ranks at least as high as the highest rank of any object it references
(every version of it). When an object's highest rank rises, its referrers (KEYS[10]) are re-ranked, and theirs in
turn: no reader receives a record naming an object it may not read (docs/security.md, "references").

Writes see only what the writer may read (ARGV[3]; all versions of an object it produced): duplicates, conflicts
and folds consider only those. An object first stored by another identity is versioned or folded into only by
an admin (-4 otherwise, when the writer can see it); one the writer cannot see at all is answered -3: nothing is
stored or changed, and the caller answers exactly as for a stored object.
The batch's reads of the objects, ikeys and values hashes are one HMGET each, and its writes one HSET per hash
(and one ZADD per index) at the end: a batch costs a few commands rather than several per object. The producer
travels in the version list, which is read and written for every stored object anyway: no structure of its own.

Returns an array with one value per object:
  > 0       the date_added assigned (stored)
  -1        exact duplicate of a stored version (same id, version and JSON): nothing stored
  -2        another object with the same id and version is stored (conflict): nothing stored
  -3        the id is held by another producer's object the writer cannot read: nothing stored
  -4        the id (or the indicator it would fold into) belongs to another producer: nothing stored
  "m:<id>"  an indicator with the same canonical pattern from the same producer is held under <id>: nothing
            stored, the posted id is recorded as an alias of <id> (the caller decides whether to add a version)
]]
local n = tonumber(ARGV[1])
local writer = ARGV[2]
local clearance = tonumber(ARGV[3])
local admin = ARGV[4] == '1'
local spacing = ARGV[5]
local typePrefix = ARGV[6]
local refPrefix = ARGV[7]
local PER = 3
local FIRST = 8
local HEADER = '^([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)\t([^\t]*)$'
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local last = tonumber(redis.call('HGET', KEYS[1], 'last') or '0')
-- records of this batch get a date_added above it
local batchStart = last
local results = {}

-- integers (µs since the epoch < 2^53) as decimal strings; %d prints them exactly, and faster than %.0f
local function fmt(x) return string.format('%d', x) end

-- the JSON part of a stored value (after the 5th tab)
local function jsonOf(stored)
  local p = 0
  for _ = 1, 5 do p = string.find(stored, '\t', p + 1, true) end
  return string.sub(stored, p + 1)
end

-- a stored value with its rank (5th field) replaced
local function withRank(stored, rank)
  local p = 0
  for _ = 1, 4 do p = string.find(stored, '\t', p + 1, true) end
  local q = string.find(stored, '\t', p + 1, true)
  return string.sub(stored, 1, p) .. rank .. string.sub(stored, q)
end

--- @include lib/flags.lua

local function typeOf(id)
  local i = string.find(id, '--', 1, true)
  if i then return string.sub(id, 1, i - 1) end
  return id
end

-- What the batch writes, one argument list per key, sent once at the end (`field value ...`; ZADD `score member
-- ...`, scores as decimal strings: exact). `pos` finds a field's value when the batch writes that field again.
local function writes() return { n = 0, pos = {} } end
local function put(w, field, value)
  local p = w.pos[field]
  if p then
    w[p] = value
    return
  end
  local n2 = w.n + 2
  w[n2 - 1] = field
  w[n2] = value
  w.n = n2
  w.pos[field] = n2
end
-- `command key` with the list's arguments, 2000 at a time (unpack's limits); members in `drop` are left out
local function flush(command, key, w)
  local n2 = w.n
  if n2 == 0 then return end
  if w.drop then
    local kept = { n = 0 }
    for j = 1, n2, 2 do
      if not w.drop[w[j + 1]] then
        kept[kept.n + 1] = w[j]
        kept[kept.n + 2] = w[j + 1]
        kept.n = kept.n + 2
      end
    end
    w, n2 = kept, kept.n
  end
  for c = 1, n2, 2000 do redis.call(command, key, unpack(w, c, math.min(c + 1999, n2))) end
end

-- index members added by this batch, per key; a member of a record of this batch (date_added above the clock at
-- the start) that is replaced is dropped from its list, any other is removed at once
local pending = {}
local function add(key, score, member)
  local p = pending[key]
  if not p then
    p = { n = 0 }
    pending[key] = p
  end
  local n2 = p.n + 2
  p[n2 - 1] = score
  p[n2] = member
  p.n = n2
  if p.drop then p.drop[member] = nil end
end
local function rem(key, member)
  local p = pending[key]
  if p and tonumber(string.sub(member, 1, string.find(member, ':', 1, true) - 1)) > batchStart then
    if not p.drop then p.drop = {} end
    p.drop[member] = true
  else
    redis.call('ZREM', key, member)
  end
end
-- every record is a member of the collection's index (KEYS[4]) and of its type's index, with the same member:
-- (re-)index it in both; `old` (when not nil) is the member it replaces
local function index(typeKey, score, member, old)
  if old then
    rem(KEYS[4], old)
    rem(typeKey, old)
  end
  add(KEYS[4], score, member)
  add(typeKey, score, member)
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

-- `SADD key` with the keys of a table as members, 2000 at a time
local function addAll(key, t)
  local args = {}
  for f in pairs(t) do
    args[#args + 1] = f
    if #args >= 2000 then
      redis.call('SADD', key, unpack(args))
      args = {}
    end
  end
  if #args > 0 then redis.call('SADD', key, unpack(args)) end
end

-- what the batch reads, fetched once; each object's header fields, parsed once
local wantIds, wantFields, wantDigests = {}, {}, {}
local ids, vstrs, vmics, specs, ranks, ks, dfields, valss, owneds, refss = {}, {}, {}, {}, {}, {}, {}, {}, {}, {}
do
  local b = FIRST
  for i = 1, n do
    local id, vstr, vmic, spec, rankS, k, dfield, vals, owned, refs = string.match(ARGV[b], HEADER)
    if not id then return redis.error_reply('store-objects: malformed header of object ' .. i) end
    ids[i], vstrs[i], vmics[i], specs[i], ranks[i] = id, vstr, vmic, spec, rankS
    ks[i], dfields[i], valss[i], owneds[i], refss[i] = k, dfield, vals, owned, refs
    wantIds[id] = true
    if dfield ~= '' then wantFields[dfield] = true end
    if vals ~= '' then
      for d in string.gmatch(vals, '[^,]+') do wantDigests[d] = true end
    end
    if refs ~= '' then
      for r in string.gmatch(refs, '[^,]+') do wantIds[r] = true end
    end
    b = b + PER
  end
end
local objectsOf = hmget(KEYS[3], wantIds)
local holders = hmget(KEYS[6], wantFields)
local valuesOf = hmget(KEYS[8], wantDigests)
-- producers of the previous format (KEYS[9]), read only where that hash exists
local legacy = writer ~= '' and redis.call('EXISTS', KEYS[9]) == 1
local ownersOf = {}
if legacy then ownersOf = hmget(KEYS[9], wantIds) end
local refbyOf = hmget(KEYS[10], wantIds)
-- fetched and absent: `false`, so that nothing asks again
for id in pairs(wantIds) do
  if refbyOf[id] == nil then refbyOf[id] = false end
  if objectsOf[id] == nil then objectsOf[id] = false end
  if legacy and ownersOf[id] == nil then ownersOf[id] = false end
end
-- what the batch writes, written once at the end
local newData, newOrig, dirtyObjects = writes(), writes(), writes()
local dirtyHolders, dirtyValues, dirtyRefby = writes(), writes(), writes()

local function storedValue(da)
  local p = newData.pos[da]
  if p then return newData[p] end
  return redis.call('HGET', KEYS[2], da)
end

-- a field of a hash, from the batch's prefetched values, else fetched once (absent: false)
local function cached(values, key, field)
  local v = values[field]
  if v == nil then
    v = redis.call('HGET', key, field) or false
    values[field] = v
  end
  return v
end

local function objectEntry(id) return cached(objectsOf, KEYS[3], id) end

-- the producer at the end of an objects entry ("@<identity>"), or false
local function producerIn(entry)
  if not entry then return false end
  local p = string.find(entry, '@', 1, true)
  if p then return string.sub(entry, p + 1) end
  return false
end
-- an objects entry from its version parts ("v:d:r" strings) and its producer (false: none kept)
local function entryOf(parts, producer)
  local s = table.concat(parts, ',')
  if not producer then return s end
  if s == '' then return '@' .. producer end
  return s .. ',@' .. producer
end
local function ownerOf(id)
  local o = producerIn(objectEntry(id))
  if not o and legacy then o = cached(ownersOf, KEYS[9], id) end
  return o
end

-- referrers added by this batch, written with one SADD per referenced id at the end
local newReferrers = {}
-- the ids whose references name `id` (stored and added by this batch)
local function referrersOf(id)
  local marked = cached(refbyOf, KEYS[10], id)
  local out = {}
  if marked and marked ~= 'new' then out = redis.call('SMEMBERS', refPrefix .. id) end
  local added = newReferrers[id]
  if added then
    for r in pairs(added) do out[#out + 1] = r end
  end
  return out
end

-- { versionMicros, dateAdded, rank, versionString } of each version, sorted by version (no entry: one shared
-- empty list, which nothing modifies: versions are inserted only into a list that has some)
local NONE = {}
local function parseList(entry)
  if not entry then return NONE end
  local list = {}
  for v, d, r in string.gmatch(entry, '(%d+):(%d+):(%d)') do list[#list + 1] = { tonumber(v), d, r, v } end
  return list
end

local function maxRank(list)
  local m = -1
  for _, e in ipairs(list) do
    local r = tonumber(e[3])
    if r > m then m = r end
  end
  return m
end

-- raises every version of `id` ranked below `rank` to `rank` (data header, index members, version list), then
-- its referrers in turn; `seen` bounds the walk (each id is raised at most once per rank)
local seen = {}
local function raise(id, rank)
  local key = id .. '@' .. rank
  if seen[key] then return end
  seen[key] = true
  local entry = objectEntry(id)
  if not entry then return end
  local list = parseList(entry)
  local changed = false
  local typeKey = typePrefix .. typeOf(id)
  for j, e in ipairs(list) do
    if tonumber(e[3]) < rank then
      local f = flags(j, #list)
      index(typeKey, e[2], e[2] .. ':' .. rank .. f, e[2] .. ':' .. e[3] .. f)
      local stored = storedValue(e[2])
      if stored then put(newData, e[2], withRank(stored, rank)) end
      e[3] = tostring(rank)
      changed = true
    end
  end
  if not changed then return end
  local parts = {}
  for j, e in ipairs(list) do parts[j] = e[4] .. ':' .. e[2] .. ':' .. e[3] end
  objectsOf[id] = entryOf(parts, producerIn(entry))
  put(dirtyObjects, id, objectsOf[id])
  for _, r in ipairs(referrersOf(id)) do raise(r, rank) end
end

-- whether the writer may read some version of an object (all of them when it produced it)
local function visibleTo(list, owner)
  if writer == '' or owner == writer then return true end
  for _, e in ipairs(list) do
    if tonumber(e[3]) <= clearance then return true end
  end
  return false
end

for i = 1, n do
  local id, vstr, vmic, spec, rankS = ids[i], vstrs[i], vmics[i], specs[i], ranks[i]
  -- the rank as a number (comparisons) and as written (the record, members and version list)
  local rank = tonumber(rankS)
  local k, json, orig, dfield, vals = tonumber(ks[i]), ARGV[FIRST + PER * (i - 1) + 1], ARGV[FIRST + PER * (i - 1) + 2], dfields[i], valss[i]
  local owned, refs = owneds[i] == '1', refss[i]
  local typeKey = KEYS[11 + k]
  local entry = objectEntry(id)
  local list = parseList(entry)
  local owner = false
  if writer ~= '' then owner = ownerOf(id) end
  local mine = writer == '' or owner == writer or (#list == 0 and not owner)
  -- the versions this write may compare against: those the writer may read
  local visible = list
  if not mine then
    visible = {}
    for _, e in ipairs(list) do
      if tonumber(e[3]) <= clearance then visible[#visible + 1] = e end
    end
  end
  local verdict = 0
  if owned and not mine and #visible == 0 and (#list > 0 or owner) then
    verdict = -3
  else
    -- an exact duplicate: the same JSON stored under the posted version (any version when none is posted)
    local want = nil
    if vmic ~= '' then want = tonumber(vmic) or -1 end
    for _, e in ipairs(visible) do
      if want == nil or e[1] == want then
        local stored = storedValue(e[2])
        if stored and jsonOf(stored) == json then verdict = -1 end
        if verdict == -1 or want ~= nil then break end
      end
    end
    if verdict == 0 and owned and not mine and not admin then verdict = -4 end
    if verdict == 0 and vmic ~= '' then
      local want = tonumber(vmic)
      -- the producer (or an admin) sees every version; anyone else only the visible ones
      local pool = list
      if not mine and not admin then pool = visible end
      for _, e in ipairs(pool) do
        if e[1] == want then verdict = -2 break end
      end
    end
  end
  local holder = nil
  local keepHolder = true
  if verdict == 0 and dfield ~= '' then
    holder = holders[dfield]
    if holder == id then holder = nil end
    if holder and writer ~= '' then
      local hOwner = ownerOf(holder)
      if not visibleTo(parseList(objectEntry(holder)), hOwner) then
        -- folding would reveal (and change) an object the writer cannot read: store as if it were absent
        holder = nil
        keepHolder = false
      elseif hOwner ~= writer and not admin then
        verdict = -4
        holder = nil
      end
    end
  end
  if verdict ~= 0 then
    results[i] = verdict
  elseif holder then
    redis.call('HSET', KEYS[7], id, holder)
    results[i] = 'm:' .. holder
  else
    if dfield ~= '' and keepHolder then
      holders[dfield] = id
      put(dirtyHolders, dfield, id)
    end
    if vals ~= '' then
      for d in string.gmatch(vals, '[^,]+') do
        local cur = valuesOf[d]
        local nv = nil
        if not cur then nv = id
        elseif not string.find(',' .. cur .. ',', ',' .. id .. ',', 1, true) then nv = cur .. ',' .. id end
        if nv then
          valuesOf[d] = nv
          put(dirtyValues, d, nv)
        end
      end
    end
    -- effective rank: at least the highest rank of every object this one references
    if refs ~= '' then
      for r in string.gmatch(refs, '[^,]+') do
        local m = maxRank(parseList(objectEntry(r)))
        if m > rank then
          rank = m
          rankS = tostring(m)
        end
        local added = newReferrers[r]
        if not added then added = {} newReferrers[r] = added end
        added[id] = true
        if not refbyOf[r] then
          refbyOf[r] = 'new'
          put(dirtyRefby, r, '1')
        end
      end
    end
    local prevMax = maxRank(list)
    local step = 1
    local hi, lo = string.byte(spacing, 2 * i - 1, 2 * i)
    if lo then
      -- the byte's low 5 bits, from its two hex digits (lowercase: '0'..'9' = 48..57, 'a'..'f' = 97..102)
      if hi > 57 then hi = hi - 87 else hi = hi - 48 end
      if lo > 57 then lo = lo - 87 else lo = lo - 48 end
      step = 1 + (hi % 2) * 16 + lo
    end
    local da = now
    if da < last + step then da = last + step end
    last = da
    local das = fmt(da)
    local vs = vmic
    if vs == '' then vs = das end
    put(newData, das, id .. '\t' .. vstr .. '\t' .. vs .. '\t' .. spec .. '\t' .. rankS .. '\t' .. json)
    if orig ~= '' then put(newOrig, das, orig) end
    -- the producer the entry keeps: the one it names, else this writer when the id has none yet (one kept only in
    -- the previous format's hash stays there)
    local producer = producerIn(entry)
    if writer ~= '' and not owner then producer = writer end
    if #list == 0 then
      -- a new object (the common case): its only record is both the latest and the first version
      index(typeKey, das, das .. ':' .. rankS)
      local e = vs .. ':' .. das .. ':' .. rankS
      if producer then e = e .. ',@' .. producer end
      objectsOf[id] = e
      put(dirtyObjects, id, e)
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
      table.insert(list, pos, { v, das, rankS, vs })
      local parts = {}
      for j, e in ipairs(list) do
        local f = flags(j, #list)
        if e[2] == das then
          index(typeKey, das, das .. ':' .. rankS .. f)
        elseif old[e[2]] ~= f then
          index(typeKey, e[2], e[2] .. ':' .. e[3] .. f, e[2] .. ':' .. e[3] .. old[e[2]])
        end
        parts[j] = e[4] .. ':' .. e[2] .. ':' .. e[3]
      end
      local joined = entryOf(parts, producer)
      objectsOf[id] = joined
      put(dirtyObjects, id, joined)
    end
    -- the object now ranks higher than before: so must every record that references it
    if rank > prevMax then
      if refbyOf[id] then
        for _, r in ipairs(referrersOf(id)) do raise(r, rank) end
      end
    end
    results[i] = da
  end
end
flush('HSET', KEYS[2], newData)
flush('HSET', KEYS[5], newOrig)
flush('HSET', KEYS[3], dirtyObjects)
flush('HSET', KEYS[6], dirtyHolders)
flush('HSET', KEYS[8], dirtyValues)
flush('HSET', KEYS[10], dirtyRefby)
for target, added in pairs(newReferrers) do addAll(refPrefix .. target, added) end
for key, members in pairs(pending) do flush('ZADD', key, members) end
redis.call('HSET', KEYS[1], 'last', fmt(last))
return results
