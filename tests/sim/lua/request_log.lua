-- The record of requests served, for GET /_sim/requests: a count per method and lower-cased
-- path ("GET /api/tickets"), and every write (POST or DELETE under /api) with its body, in
-- order. Control requests (/_sim/*) are not recorded.
local clock = require "clock"
local encode = require "encode"

local request_log = {}

-- The write log keeps the newest MAX_WRITES entries; older ones are counted in writes_dropped.
local MAX_WRITES = 10000

-- Request bodies longer than this are cut in the write log.
local MAX_BODY_LENGTH = 65536

local counts = {}
local total = 0
local writes = {}
local writes_dropped = 0

function request_log.reset()
    counts = {}
    total = 0
    writes = {}
    writes_dropped = 0
end

-- Records a served request. path is lower-case without the query.
function request_log.record(request, path, status)
    local key = request.method .. " " .. path
    counts[key] = (counts[key] or 0) + 1
    total = total + 1

    if (request.method == "POST" or request.method == "DELETE") and path:sub(1, 5) == "/api/" then
        if #writes >= MAX_WRITES then
            table.remove(writes, 1)
            writes_dropped = writes_dropped + 1
        end
        local body = request.body or ""
        writes[#writes + 1] = encode.object({
            method = request.method,
            path = path,
            query = request.query or "",
            body = body:sub(1, MAX_BODY_LENGTH),
            status = status,
            time = clock.now_iso(),
        })
    end
end

-- Returns the body of GET /_sim/requests.
function request_log.report()
    local count_table = encode.object()
    for key, value in pairs(counts) do
        count_table[key] = value
    end
    return encode.object({
        total = total,
        counts = count_table,
        writes = encode.array(table.move(writes, 1, #writes, 1, {})),
        writes_dropped = writes_dropped,
    })
end

return request_log
