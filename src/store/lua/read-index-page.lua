--[[
read-index-page: one page of records of a collection, ascending by date_added, after an exclusive date_added,
from one or more index ZSETs (the collection index, or one per requested type: types ORed).

KEYS[1]     data HASH (date_added -> "<id>\t<version>\t<versionMicros>\t<spec_version>\t<tlp rank>\t<json>")
KEYS[2..]   index ZSETs, members "<date_added>:<rank><flags>" (score = date_added); a key may be listed more
            than once with different views (e.g. first and latest)

ARGV[1]  after: exclusive lower bound on date_added (µs), or "0"
ARGV[2]  limit (>= 1)
ARGV[3]  scan budget: the most index entries examined per key when entries are skipped
ARGV[4]  spec_version filter: "" (none) or ",2.1,2.0," (comma-delimited, leading and trailing comma)
ARGV[5]  "full" to return whole stored values, "head" to return only the header (no JSON), "ids" to return
         only the date_added values (the caller fetches the records itself: Redis copies no JSON through Lua)
ARGV[6]  highest TLP rank the reader may see (0 clear .. 4 red); records above it are skipped as if absent
ARGV[7]  refused marking ids of the reader, comma-separated ("" none): records naming one are skipped
ARGV[8]  accepted producers of the reader, ",identity--a,identity--b," ("" = any): other records are skipped
ARGV[7+2i], ARGV[8+2i]  view and version filter of KEYS[1+i]: view "" (every version), "s" (latest: skip
            members flagged s) or "n" (first: skip members flagged n); version filter "" or ",<versionMicros>,...,"

The rank and view are read from the index members, so clearance and latest/first cost no record fetch; only
spec_version, exact-version and reader-rule filters fetch the records they examine. A record reached through several keys is
returned once.

Returns { more (0/1), next (date_added of the last record considered, "" when none), da1, value1, ... }, or
{ more, next, da1, da2, ... } in "ids" mode.
Unfiltered pages cost O(log N + limit); when entries are skipped at most `budget` are examined per key, and a
page may be short with more = 1 and next pointing past what was examined (paging stays exact).
]]
local after = ARGV[1]
local limit = tonumber(ARGV[2])
local budget = tonumber(ARGV[3])
local specF, mode = ARGV[4], ARGV[5]
local maxRank = tonumber(ARGV[6])
local refusedF, producerF = ARGV[7], ARGV[8]
local refused = {}
for m in string.gmatch(refusedF, '[^,]+') do refused[#refused + 1] = '"' .. m .. '"' end
local INF = math.huge

local matches = {}
local safe = INF
for ki = 2, #KEYS do
  local view = ARGV[7 + 2 * (ki - 1)] or ''
  local verF = ARGV[8 + 2 * (ki - 1)] or ''
  local fetch = specF ~= '' or verF ~= '' or refusedF ~= '' or producerF ~= ''
  local cursor = after
  local scanned, found = 0, 0
  local exhausted = false
  -- First read what an unfiltered page needs; when entries are skipped, read bigger chunks after.
  local chunk = limit + 1
  while true do
    local batch = redis.call('ZRANGEBYSCORE', KEYS[ki], '(' .. cursor, '+inf', 'LIMIT', 0, chunk)
    if #batch == 0 then exhausted = true break end
    local cand = {}
    for j = 1, #batch do
      local m = batch[j]
      local c = string.find(m, ':', 1, true)
      if string.byte(m, c + 1) - 48 <= maxRank and (view == '' or not string.find(m, view, c + 2, true)) then
        cand[#cand + 1] = string.sub(m, 1, c - 1)
      end
    end
    if fetch and #cand > 0 then
      local vals = redis.call('HMGET', KEYS[1], unpack(cand))
      for j = 1, #cand do
        local v = vals[j]
        if v then
          local p1 = string.find(v, '\t', 1, true)
          local p2 = string.find(v, '\t', p1 + 1, true)
          local p3 = string.find(v, '\t', p2 + 1, true)
          local p4 = string.find(v, '\t', p3 + 1, true)
          local ok = true
          if specF ~= '' and not string.find(specF, ',' .. string.sub(v, p3 + 1, p4 - 1) .. ',', 1, true) then ok = false end
          if ok and verF ~= '' and not string.find(verF, ',' .. string.sub(v, p2 + 1, p3 - 1) .. ',', 1, true) then ok = false end
          -- reader rules, on the canonical JSON (JSON.stringify output: no spaces around ':')
          if ok then
            for _, m in ipairs(refused) do
              if string.find(v, m, p4, true) then ok = false break end
            end
          end
          if ok and producerF ~= '' then
            local _, e = string.find(v, '"created_by_ref":"', p4, true)
            local by = e and string.sub(v, e + 1, (string.find(v, '"', e + 1, true) or (e + 1)) - 1) or ''
            if by == '' or not string.find(producerF, ',' .. by .. ',', 1, true) then ok = false end
          end
          if ok then
            matches[#matches + 1] = { tonumber(cand[j]), cand[j], v }
            found = found + 1
          end
        end
      end
    else
      for j = 1, #cand do
        matches[#matches + 1] = { tonumber(cand[j]), cand[j], false }
        found = found + 1
      end
    end
    scanned = scanned + #batch
    local lastMember = batch[#batch]
    cursor = string.sub(lastMember, 1, string.find(lastMember, ':', 1, true) - 1)
    if #batch < chunk then exhausted = true break end
    if found >= limit + 1 or scanned >= budget then break end
    chunk = math.min(chunk * 2, 1000)
  end
  if not exhausted and found < limit + 1 then
    local c = tonumber(cursor)
    if c < safe then safe = c end
  end
end

local kept = {}
if #KEYS == 2 then
  -- one index: its entries are already ascending and distinct
  for _, m in ipairs(matches) do
    if m[1] <= safe then kept[#kept + 1] = m end
  end
else
  local sorted = {}
  for _, m in ipairs(matches) do
    if m[1] <= safe then sorted[#sorted + 1] = m end
  end
  table.sort(sorted, function(x, y) return x[1] < y[1] end)
  for _, m in ipairs(sorted) do
    local prev = kept[#kept]
    if not prev or prev[1] ~= m[1] then kept[#kept + 1] = m
    elseif not prev[3] then prev[3] = m[3] end
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
      local p = 0
      for _ = 1, 5 do p = string.find(v, '\t', p + 1, true) end
      v = string.sub(v, 1, p - 1)
    end
    out[#out + 1] = kept[j][2]
    out[#out + 1] = v
  end
end
return out
