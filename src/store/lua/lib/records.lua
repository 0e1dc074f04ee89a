-- The store's record formats (src/store/keys.ts, docs/architecture.md "Redis keys"), read side, written once:
--   data HASH     date_added -> "<id>\t<version>\t<versionMicros>\t<spec_version>\t<tlp rank>\t<json>"
--   objects HASH  id -> "<versionMicros>:<dateAdded>:<rank>,..." sorted by version
--   index ZSETs   member "<dateAdded>:<rank><flags>", score dateAdded (flags: lib/flags.lua)

-- Positions of the five header tabs of a stored value.
local function headerTabs(v)
  local p1 = string.find(v, '\t', 1, true)
  local p2 = string.find(v, '\t', p1 + 1, true)
  local p3 = string.find(v, '\t', p2 + 1, true)
  local p4 = string.find(v, '\t', p3 + 1, true)
  local p5 = string.find(v, '\t', p4 + 1, true)
  return p1, p2, p3, p4, p5
end

-- The versions of an objects entry: { { versionMicros, dateAdded, rank }, ... } sorted by version.
local function versionList(entry)
  local list = {}
  if entry then
    for v, d, r in string.gmatch(entry, '(%d+):(%d+):(%d)') do list[#list + 1] = { v, d, tonumber(r) } end
  end
  return list
end

-- The date_added of an index member when its rank is at most maxRank and it is in the view ("" every version,
-- "s" latest: members flagged s are skipped, "n" first: members flagged n are skipped); nil otherwise.
local function memberInView(m, maxRank, view)
  local c = string.find(m, ':', 1, true)
  if string.byte(m, c + 1) - 48 > maxRank then return nil end
  if view ~= '' and string.find(m, view, c + 2, true) then return nil end
  return string.sub(m, 1, c - 1)
end

-- The date_added part of an index member.
local function memberDateAdded(m)
  return string.sub(m, 1, string.find(m, ':', 1, true) - 1)
end
