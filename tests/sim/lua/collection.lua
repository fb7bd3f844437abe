-- An ordered store of records with an index by id.
--
-- Lists walk `items` in insertion order (O(n)); lookups by id use the index (O(1)). Ids are
-- integers or GUID strings; the caller chooses them (collection:next_id() gives max + 1).
local collection = {}

local Collection = {}
Collection.__index = Collection

function collection.new()
    return setmetatable({ items = {}, by_id = {}, max_id = 0 }, Collection)
end

function Collection:get(id)
    if id == nil then
        return nil
    end
    return self.by_id[id]
end

-- Appends record; raises an error when its id is already stored (a caller bug, or a duplicate
-- id that seed loading checks before adding).
function Collection:add(record)
    local id = record.id
    if self.by_id[id] ~= nil then
        error(string.format("record id %s is already stored", tostring(id)), 2)
    end
    self.items[#self.items + 1] = record
    self.by_id[id] = record
    if math.type(id) == "integer" and id > self.max_id then
        self.max_id = id
    end
    return record
end

-- Removes the record with id and returns it, or nil when there is none.
function Collection:remove(id)
    local record = self.by_id[id]
    if record == nil then
        return nil
    end
    self.by_id[id] = nil
    for index, item in ipairs(self.items) do
        if item == record then
            table.remove(self.items, index)
            break
        end
    end
    return record
end

-- Returns the next integer id: one more than the highest ever stored, so a deleted record's id
-- is never reused.
function Collection:next_id()
    return self.max_id + 1
end

function Collection:count()
    return #self.items
end

return collection
