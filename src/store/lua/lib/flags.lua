-- flags(i, count): the view flags of the i-th of count versions of an object, sorted by version (index members
-- "<dateAdded>:<rank><flags>", src/store/keys.ts): "s" superseded (not the latest), "n" not the first.
local function flags(i, count)
  local f = ''
  if i < count then f = 's' end
  if i > 1 then f = f .. 'n' end
  return f
end
