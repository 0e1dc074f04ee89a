--[[
read-records: the read engine. Every read of stored records (objects, object, versions, manifest, delete, lookup,
export, original, federation sink, object browser) is one call of this script, and every visibility rule is
applied here and nowhere else: the reader's clearance (record rank), its sharing rules (refused markings,
accepted producers, and the objects its records reference: lib/reader-rules.lua), the version selection and the
match filters. A record the reader may not receive is skipped as if absent, inside the query, so pages stay full
and `more`/`next` stay right.

Two sources of records, ascending by date_added after an exclusive date_added:
- index scan (no ids): one or more index ZSETs (the collection index, or one per requested type: types ORed);
- ids (match[id], one object's versions): the `objects` entries of the ids.

KEYS[1]     data HASH, KEYS[2] objects HASH (lib/records.lua)
KEYS[3..]   index scan only: index ZSETs; a key may be listed more than once with different views

ARGV[1]  after: exclusive lower bound on date_added (µs), or "0"
ARGV[2]  limit (>= 1)
ARGV[3]  scan budget: the most index entries examined per key when entries are skipped
ARGV[4]  record filters (src/store/record-filters.ts): "" (none) or "<f>:,<v1>,<v2>,|<f>:,...," where <f> is the
         1-based position of a header field of the stored value (lib/records.lua) that must be one of the values
ARGV[5]  reply mode: "full" whole stored values, "head" headers only (no JSON), "ids" date_added values only,
         "auto" "full" when a filter made the script read the records anyway, else "ids" (the caller then
         fetches the records with one HMGET: Redis copying JSON through Lua costs several times that HMGET,
         bench/read-engine.bench.ts)
ARGV[6]  highest rank the reader may see (0 clear .. 5); records above it are skipped
ARGV[7]  refused marking ids of the reader, comma-separated ("" none)
ARGV[8]  accepted producers of the reader, ",identity--a,identity--b," ("" = any)
ARGV[9]  ids the reference rule does not follow, ",id,...," ("" none)
ARGV[10] n, the number of ids (0 = index scan)
ARGV[11 .. 10+n]  the ids
ids source:  ARGV[11+n] versions: "a" (all) or letters "f" (first) / "l" (last); ARGV[12+n] exact versions
             ",<versionMicros>,...," or ""; ARGV[13+n] type filter ",<type>,...," or ""
index scan:  ARGV[11+2i], ARGV[12+2i] view and version filter of KEYS[3+i]: view "" (every version), "s"
             (latest) or "n" (first); version filter "" or ",<versionMicros>,...,"

The rank and view are read from index members and version lists, so clearance and latest/first cost no record
fetch; record filters (match[spec_version]), exact-version and reader-rule filters fetch the records they examine. A record reached
through several keys is returned once. Index pages cost O(log N + limit); when entries are skipped at most
`budget` are examined per key, and a page may be short with more = 1 and next pointing past what was examined
(paging stays exact).

Returns { more (0/1), next (date_added to continue after, "" when none), ... } followed by
  full / head:  da1, value1, da2, value2, ...
  ids:          da1, da2, ...
  auto:         "full" or "ids", then as that mode
]]
--- @include lib/records.lua
--- @include lib/reader-rules.lua

local after = ARGV[1]
local afterN = tonumber(after)
local limit = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local mode = ARGV[5]
-- record filters: { header field position, ",v1,v2," }
local recF = {}
for pos, values in string.gmatch(ARGV[4], '(%d+):(,[^|]*,)') do recF[#recF + 1] = { tonumber(pos), values } end
local filtered = #recF > 0
local maxRank = tonumber(ARGV[6])
local rules = newRules(ARGV[7], ARGV[8], ARGV[9], KEYS[1], KEYS[2])
local nIds = tonumber(ARGV[10])
local INF = math.huge

-- The filters that need the stored value (record filters, exact version, reader rules).
local function keep(v, verF)
  local p1, p2, p3, p4, p5 = headerTabs(v)
  if p5 == nil then return false end
  if filtered then
    local tabs = { p1, p2, p3, p4, p5 }
    for _, f in ipairs(recF) do
      local k = f[1]
      local from = k == 1 and 1 or tabs[k - 1] + 1
      if not tabs[k] or not string.find(f[2], ',' .. string.sub(v, from, tabs[k] - 1) .. ',', 1, true) then return false end
    end
  end
  if verF ~= '' and not string.find(verF, ',' .. string.sub(v, p2 + 1, p3 - 1) .. ',', 1, true) then return false end
  if rules.active and not recordPasses(rules, v, 0) then return false end
  return true
end

-- The common GET (one index, no filter that needs the stored values, date_added values only): the page is
-- picked straight from the index members into the reply (memberInView: the same rank and view rules), without
-- the per-record tables, sorting and merging of the general path below (bench/read-engine.bench.ts).
if nIds == 0 and #KEYS == 3 and (mode == 'auto' or mode == 'ids') and not filtered and not rules.active
  and (ARGV[12] or '') == '' then
  local view = ARGV[11] or ''
  local out = { 0, '' }
  if mode == 'auto' then out[3] = 'ids' end
  local first = #out
  local want = limit + 1
  local cursor = after
  local scanned = 0
  local chunk = want
  local last = nil
  while true do
    local batch = redis.call('ZRANGEBYSCORE', KEYS[3], '(' .. cursor, '+inf', 'LIMIT', 0, chunk)
    local n = #batch
    if n == 0 then break end
    for j = 1, n do
      local da = memberInView(batch[j], maxRank, view)
      if da then
        if #out - first < limit then
          out[#out + 1] = da
        else
          -- one more visible record than the page: there is more, and the page ends at its last record
          out[1] = 1
          out[2] = out[#out]
          return out
        end
      end
    end
    scanned = scanned + n
    last = batch[n]
    if n < chunk then break end
    if scanned >= budget then
      -- budget spent with entries left: continue after what was examined
      out[1] = 1
      out[2] = memberDateAdded(last)
      return out
    end
    cursor = memberDateAdded(last)
    chunk = math.min(chunk * 2, 1000)
  end
  if #out > first then out[2] = out[#out] end
  return out
end

local matches = {}
local safe = INF
local sorted = true

if nIds > 0 then
  -- ids source: candidates from the version lists, then one HMGET of the records when a filter needs them
  local sel = ARGV[11 + nIds]
  local exactF = ARGV[12 + nIds]
  local typeF = ARGV[13 + nIds]
  local ids = {}
  for j = 1, nIds do ids[j] = ARGV[10 + j] end
  local entries = redis.call('HMGET', KEYS[2], unpack(ids))
  local cand = {}
  for j = 1, nIds do
    local id = ids[j]
    local c = string.find(id, '--', 1, true)
    local ty = c and string.sub(id, 1, c - 1) or id
    if entries[j] and (typeF == '' or string.find(typeF, ',' .. ty .. ',', 1, true)) then
      local list = versionList(entries[j])
      for k, e in ipairs(list) do
        local picked = sel == 'a' or (k == 1 and string.find(sel, 'f', 1, true)) or (k == #list and string.find(sel, 'l', 1, true))
        if not picked and exactF ~= '' then picked = string.find(exactF, ',' .. e[1] .. ',', 1, true) end
        if picked and e[3] <= maxRank and tonumber(e[2]) > afterN then cand[#cand + 1] = e[2] end
      end
    end
  end
  local fetch = filtered or rules.active
  if fetch and #cand > 0 then
    local vals = redis.call('HMGET', KEYS[1], unpack(cand))
    for j = 1, #cand do
      if vals[j] and keep(vals[j], '') then matches[#matches + 1] = { tonumber(cand[j]), cand[j], vals[j] } end
    end
  else
    for j = 1, #cand do matches[#matches + 1] = { tonumber(cand[j]), cand[j], false } end
  end
  sorted = false
else
  for ki = 3, #KEYS do
    local view = ARGV[11 + 2 * (ki - 3)] or ''
    local verF = ARGV[12 + 2 * (ki - 3)] or ''
    local fetch = filtered or verF ~= '' or rules.active
    local cursor = after
    local scanned, found = 0, 0
    local exhausted = false
    -- First read what an unfiltered page needs; when entries are skipped, read bigger chunks after.
    local chunk = limit + 1
    while true do
      local batch = redis.call('ZRANGEBYSCORE', KEYS[ki], '(' .. cursor, '+inf', 'LIMIT', 0, chunk)
      if #batch == 0 then
        exhausted = true
        break
      end
      local cand = {}
      for j = 1, #batch do
        local da = memberInView(batch[j], maxRank, view)
        if da then cand[#cand + 1] = da end
      end
      if fetch and #cand > 0 then
        local vals = redis.call('HMGET', KEYS[1], unpack(cand))
        for j = 1, #cand do
          if vals[j] and keep(vals[j], verF) then
            matches[#matches + 1] = { tonumber(cand[j]), cand[j], vals[j] }
            found = found + 1
          end
        end
      else
        for j = 1, #cand do matches[#matches + 1] = { tonumber(cand[j]), cand[j], false } end
        found = found + #cand
      end
      scanned = scanned + #batch
      cursor = memberDateAdded(batch[#batch])
      if #batch < chunk then
        exhausted = true
        break
      end
      if found >= limit + 1 or scanned >= budget then break end
      chunk = math.min(chunk * 2, 1000)
    end
    if not exhausted and found < limit + 1 then
      local c = tonumber(cursor)
      if c < safe then safe = c end
    end
  end
  -- one index: its entries are already ascending and distinct
  sorted = #KEYS == 3
end

local kept = {}
if sorted then
  for _, m in ipairs(matches) do
    if m[1] <= safe then kept[#kept + 1] = m end
  end
else
  local inRange = {}
  for _, m in ipairs(matches) do
    if m[1] <= safe then inRange[#inRange + 1] = m end
  end
  table.sort(inRange, function(x, y) return x[1] < y[1] end)
  for _, m in ipairs(inRange) do
    local prev = kept[#kept]
    if not prev or prev[1] ~= m[1] then
      kept[#kept + 1] = m
    elseif not prev[3] then
      prev[3] = m[3]
    end
  end
end

local out = { 0, '' }
local count = math.min(#kept, limit)
if #kept > limit then
  out[1] = 1
  out[2] = kept[limit][2]
elseif safe ~= INF then
  out[1] = 1
  out[2] = string.format('%.0f', safe)
end
if count > 0 and out[2] == '' then out[2] = kept[count][2] end

-- "auto": the records when the filters made the script read them anyway, else only their date_added values
if mode == 'auto' then
  if count > 0 and kept[1][3] then
    out[3] = 'full'
    mode = 'full'
  else
    out[3] = 'ids'
    mode = 'ids'
  end
end

if mode == 'ids' then
  for j = 1, count do out[#out + 1] = kept[j][2] end
  return out
end

local need = {}
for j = 1, count do
  if not kept[j][3] then need[#need + 1] = kept[j][2] end
end
local fetched = {}
if #need > 0 then
  local vals = redis.call('HMGET', KEYS[1], unpack(need))
  for j = 1, #need do fetched[need[j]] = vals[j] end
end

for j = 1, count do
  local v = kept[j][3] or fetched[kept[j][2]]
  if v then
    if mode == 'head' then
      local _, _, _, _, p5 = headerTabs(v)
      v = string.sub(v, 1, p5 - 1)
    end
    out[#out + 1] = kept[j][2]
    out[#out + 1] = v
  end
end
return out
