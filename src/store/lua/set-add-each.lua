--[[
set-add-each: adds members to one SET and says which were new, in one call instead of one SADD command per member
(the exchange counters' shared values, src/exchange/exchange-recorder.ts).

KEYS[1]  the SET
ARGV     the members

Returns one integer per member, in order: 1 when this call added it (it was not a member), else 0.
]]
local added = {}
for i = 1, #ARGV do
  added[i] = redis.call('SADD', KEYS[1], ARGV[i])
end
return added
