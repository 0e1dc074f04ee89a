-- A reader's sharing rules beyond TLP (docs/security.md), evaluated on stored values. Needs lib/records.lua.
-- A record passes when no refused marking id appears in its JSON as a string value, when (with accepted
-- producers) its created_by_ref is one of them, and when every object it references passes too, every version
-- of it and recursively (the reference rule, as the stored rank applies it to clearance). Referenced ids that
-- reveal nothing (the exempt list: official TLP definitions, the configured identities, accepted producers)
-- and ids not held in the collection are not followed. Past the depth or visit budget a record fails (closed).

local RULE_DEPTH = 16
local RULE_VISITS = 10000

-- rules(refusedCsv, producers, exempt, dataKey, objectsKey): producers and exempt are ",a,b," or "".
local function newRules(refusedCsv, producers, exempt, dataKey, objectsKey)
  local r = { refused = {}, producers = producers, exempt = exempt, data = dataKey, objects = objectsKey }
  for m in string.gmatch(refusedCsv, '[^,]+') do r.refused[#r.refused + 1] = '"' .. m .. '"' end
  r.active = #r.refused > 0 or producers ~= ''
  r.memo, r.visits, r.cycle = {}, 0, false
  return r
end

-- The rules on the record's own JSON (canonical JSON: no spaces around ':'), from position `from`.
local function ownRulesPass(r, v, from)
  for _, m in ipairs(r.refused) do
    if string.find(v, m, from, true) then return false end
  end
  if r.producers ~= '' then
    local _, e = string.find(v, '"created_by_ref":"', from, true)
    local by = e and string.sub(v, e + 1, (string.find(v, '"', e + 1, true) or (e + 1)) - 1) or ''
    if by == '' or not string.find(r.producers, ',' .. by .. ',', 1, true) then return false end
  end
  return true
end

-- The ids named by the *_ref / *_refs properties of a JSON text (at any depth), from position `from`.
local function referencedIds(v, from)
  local json = string.sub(v, from)
  local ids = {}
  for p in string.gmatch(json, '_refs?":()') do
    local c = string.byte(json, p)
    if c == 34 then -- '"': one id
      local id = string.match(json, '^"([^"]*)"', p)
      if id then ids[#ids + 1] = id end
    elseif c == 91 then -- '[': a list of ids
      local list = string.match(json, '^%[([^%]]*)%]', p)
      if list then
        for id in string.gmatch(list, '"([^"]*)"') do ids[#ids + 1] = id end
      end
    end
  end
  return ids
end

local objectPasses

-- The rules on one stored value, references included.
local function recordPasses(r, v, depth)
  local p1, _, _, _, p5 = headerTabs(v)
  if not p5 then return false end
  if not ownRulesPass(r, v, p5 + 1) then return false end
  if not string.find(v, '_ref', p5 + 1, true) then return true end
  local self = string.sub(v, 1, p1 - 1)
  for _, id in ipairs(referencedIds(v, p5 + 1)) do
    if id ~= self and string.find(id, '--', 1, true) and not string.find(r.exempt, ',' .. id .. ',', 1, true) then
      if not objectPasses(r, id, depth + 1) then return false end
    end
  end
  return true
end

-- The rules on every stored version of an object (true when the collection holds none).
objectPasses = function(r, id, depth)
  local known = r.memo[id]
  if known == 'pending' then
    r.cycle = true
    return true
  end
  if known ~= nil then return known end
  r.visits = r.visits + 1
  if depth > RULE_DEPTH or r.visits > RULE_VISITS then return false end
  local list = versionList(redis.call('HGET', r.objects, id))
  if #list == 0 then
    r.memo[id] = true
    return true
  end
  r.memo[id] = 'pending'
  local outer = r.cycle
  r.cycle = false
  local das = {}
  for j, e in ipairs(list) do das[j] = e[2] end
  local vals = redis.call('HMGET', r.data, unpack(das))
  local ok = true
  for j = 1, #vals do
    if vals[j] and not recordPasses(r, vals[j], depth) then
      ok = false
      break
    end
  end
  -- a pass that relied on an object still being judged (a reference cycle) is not remembered
  if ok and r.cycle then r.memo[id] = nil else r.memo[id] = ok end
  r.cycle = outer or r.cycle
  return ok
end
