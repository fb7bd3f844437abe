-- Filtering, search, ordering and paging shared by every list endpoint.
--
-- HaloPSA's list parameters: `pageinate=true` (that spelling only, `paginate` is ignored) with
-- `page_size` and 1-based `page_no`. `count=N` limits an unpaged list. `search` is a
-- case-insensitive contains-match over the fields a resource names. `order=<field>` with
-- `orderdesc=true` sorts. `record_count` in a wrapper is the number of matches before paging.
-- A list costs O(n) in the records plus O(m log m) in the matches when `order` is given.
local encode = require "encode"

local lists = {}

lists.DEFAULT_PAGE_SIZE = 50

-- The page-size cap. Confirmed for /Tickets (a live tenant sent 100 rows for page_size=1000);
-- assumed for the other lists.
lists.MAX_PAGE_SIZE = 100

local function lower_text(value)
    if value == nil then
        return ""
    end
    return tostring(value):lower()
end

-- Returns true when any of the texts contains needle (already lower-case).
local function any_contains(texts, needle)
    for _, text in ipairs(texts) do
        if lower_text(text):find(needle, 1, true) then
            return true
        end
    end
    return false
end

local function compare_values(a, b)
    local type_a, type_b = type(a), type(b)
    if type_a == "number" and type_b == "number" then
        return a < b
    end
    if type_a == "boolean" then
        a = a and 1 or 0
    end
    if type_b == "boolean" then
        b = b and 1 or 0
    end
    if type(a) == "number" and type(b) == "number" then
        return a < b
    end
    return lower_text(a) < lower_text(b)
end

-- Selects records for a list request.
--   records: array of stored records, in their natural order;
--   q: the parsed query (query.lua); conversion errors are recorded in q.errors;
--   options.filter(record) -> boolean, optional;
--   options.search_fields(record) -> array of texts that `search` may match, optional (without
--     it, `search` is ignored);
--   options.paging = false turns off pageinate/page_size/page_no (lists HaloPSA serves whole);
--   options.order_value(record, field) -> value to sort by, optional (default record[field]).
-- Returns page (a new array of records), total (matches before paging).
function lists.select(records, q, options)
    options = options or {}
    local filter = options.filter
    local search = q:get("search")
    local needle = search and options.search_fields and search:lower() or nil

    local matches = {}
    for _, record in ipairs(records) do
        if (filter == nil or filter(record))
            and (needle == nil or any_contains(options.search_fields(record), needle)) then
            matches[#matches + 1] = record
        end
    end
    local total = #matches

    local order = q:get("order")
    if order then
        local field = order:lower()
        local descending = q:boolean("orderdesc", false)
        local order_value = options.order_value or function(record, name)
            return record[name]
        end
        local keyed = {}
        for index, record in ipairs(matches) do
            keyed[index] = { record = record, value = order_value(record, field), index = index }
        end
        table.sort(keyed, function(left, right)
            if left.value ~= right.value and (left.value ~= nil or right.value ~= nil) then
                if left.value == nil then
                    return not descending
                elseif right.value == nil then
                    return descending
                end
                if compare_values(left.value, right.value) then
                    return not descending
                elseif compare_values(right.value, left.value) then
                    return descending
                end
            end
            return left.index < right.index
        end)
        for index, entry in ipairs(keyed) do
            matches[index] = entry.record
        end
    end

    local first, last = 1, total
    if options.paging ~= false and q:boolean("pageinate", false) then
        local page_size = q:integer("page_size", lists.DEFAULT_PAGE_SIZE)
        local page_no = q:integer("page_no", 1)
        if page_size < 1 then
            q:add_error("page_size", string.format("The value '%d' is not valid; use 1 to %d.",
                page_size, lists.MAX_PAGE_SIZE))
        end
        if page_no < 1 then
            q:add_error("page_no", string.format("The value '%d' is not valid; pages start at 1.",
                page_no))
        end
        page_size = math.max(1, math.min(page_size, lists.MAX_PAGE_SIZE))
        page_no = math.max(1, page_no)
        first = (page_no - 1) * page_size + 1
        last = math.min(total, first + page_size - 1)
    else
        local count = q:integer("count", nil)
        if count and count < 0 then
            q:add_error("count", string.format(
                "The value '%d' is not valid; use a positive number.", count))
        elseif count and count > 0 then
            last = math.min(total, count)
        end
    end

    local page = encode.array()
    for index = first, last do
        page[#page + 1] = matches[index]
    end
    return page, total
end

-- Maps records through view (record -> table) into a new JSON array.
function lists.map(records, view)
    local rows = encode.array()
    for index, record in ipairs(records) do
        rows[index] = view(record)
    end
    return rows
end

-- Returns HaloPSA's list wrapper {record_count = total, [key] = rows}.
function lists.wrap(key, rows, total)
    return encode.object({ record_count = total, [key] = rows })
end

return lists
