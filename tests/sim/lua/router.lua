-- Routing of HaloPSA's API: /api/authinfo, the token endpoints and /api/<Resource>[/<id>].
--
-- Paths match without regard to case (/api/tickets = /api/Tickets). Every /api path except
-- /api/authinfo needs a valid bearer token and the scope for the resource's right. A POST body
-- is a JSON array of records, or one bare object. Every record is bound before any is saved, so
-- a model-binding error changes nothing. One record gives that record back, and several give
-- the last one unless ?returnall=true gives them all. POST returns 201, also for updates, as
-- HaloPSA does.
local cjson = require "cjson"

local auth = require "auth"
local encode = require "encode"
local ids = require "ids"
local responses = require "responses"
local state = require "state"
local strict = require "strict"

local router = {}

-- Resources by lower-case path segment.
local RESOURCES = {
    tickets = require("tickets").resource,
    actions = require("actions").resource,
    client = require("clients").resource,
    users = require("users").resource,
    agent = require("agents").resource,
    site = require("sites").resource,
    team = require("teams").resource,
    asset = require("assets").resource,
    status = require("lookups").status_resource,
    priority = require("lookups").priority_resource,
    tickettype = require("lookups").ticket_type_resource,
    outcome = require("lookups").outcome_resource,
    webhook = require("webhooks").resource,
    notification = require("webhooks").notification_resource,
    webhookevent = require("webhooks").event_resource,
}

-- Returns the API actor for writes made through the API: the login agent and the application.
local function api_actor()
    return {
        kind = "api",
        agent_id = state.db.login_agent_id,
        application = state.options.app_name or "",
    }
end

local function decode_items(body)
    if body == nil or body:match("^%s*$") then
        return nil, "The request body is empty; send a JSON array of records"
    end
    local ok, decoded = pcall(cjson.decode, body)
    if not ok then
        return nil, "The request body is not valid JSON: " .. tostring(decoded)
    end
    if type(decoded) ~= "table" then
        return nil, "The request body must be a JSON array of records (or one JSON object)"
    end
    if next(decoded) == nil then
        return nil, "The request body holds no records; send a JSON array with at least one"
    end
    if decoded[1] ~= nil then
        return decoded, true
    end
    return { decoded }, false
end

-- Returns true for the media types ASP.NET's JSON input formatter reads: application/json,
-- text/json and application/*+json (json-patch+json among them), with any parameters.
local function is_json_media_type(content_type)
    local media_type = (content_type or ""):match("^%s*([^;%s]+)")
    if media_type == nil then
        return false
    end
    media_type = media_type:lower()
    return media_type == "application/json" or media_type == "text/json"
        or media_type:match("^application/[%w%.%-]+%+json$") ~= nil
end

-- Returns ASP.NET's 415 response (a ProblemDetails object) for a body that is not JSON.
local function unsupported_media_type(content_type)
    return responses.json(415, encode.object({
        type = "https://tools.ietf.org/html/rfc7231#section-6.5.13",
        title = "Unsupported Media Type",
        status = 415,
        detail = string.format("Content-Type '%s' is not accepted; send the records as " ..
            "application/json", content_type or ""),
    }))
end

local function post(resource, ctx)
    local content_type = ctx.request.headers["content-type"]
    if not is_json_media_type(content_type) then
        return unsupported_media_type(content_type)
    end
    local items, is_array = decode_items(ctx.request.body)
    if not items then
        return responses.bad_request(is_array)
    end
    if state.options.strict then
        local errors = strict.check(ctx.request.body, resource.item_guid_keys)
        if errors then
            return responses.model_errors(errors)
        end
    end

    local bound = {}
    local errors = {}
    for index, item in ipairs(items) do
        local path = is_array and string.format("[%d]", index - 1) or ""
        bound[index] = resource.bind(item, path, errors)
    end
    if next(errors) then
        return responses.model_errors(errors)
    end

    local return_all = ctx.q:boolean("returnall", false)
    if ctx.q.errors then
        return responses.model_errors(ctx.q.errors)
    end
    local results = encode.array()
    for index, values in ipairs(bound) do
        local label = #items > 1 and string.format("[%d]", index - 1) or nil
        local result, failure = resource.save(ctx, values, label)
        if not result then
            return failure
        end
        results[index] = result
    end
    if return_all and #results > 1 then
        return responses.json(201, results)
    end
    return responses.json(201, results[#results])
end

local function forbidden(resource, method, write)
    return responses.forbidden("You don't have permission to %s %s: the access token needs " ..
        "one of the scopes %s", method, resource.name, auth.scopes_for(resource.right, write))
end

local function handle_api(request, segments, q)
    local resource_name = segments[2]
    if resource_name == "authinfo" and #segments == 2 then
        if request.method ~= "GET" then
            return responses.method_not_allowed(request.method, request.path, { "GET" })
        end
        return auth.authinfo(request)
    end

    local scopes, failure = auth.check_bearer(request)
    if not scopes then
        return failure
    end

    local resource = RESOURCES[resource_name or ""]
    if resource == nil or #segments > 3 then
        return responses.not_found("No API endpoint matches %s", request.path)
    end

    local method = request.method
    local id_text = segments[3]
    local ctx = {
        request = request,
        q = q,
        id_text = id_text,
        actor = api_actor(),
        scopes = scopes,
    }
    local write = method ~= "GET"
    if (method == "GET" or method == "POST" or method == "DELETE")
        and not auth.allows(scopes, resource.right, write) then
        return forbidden(resource, method, write)
    end

    if method == "GET" and id_text == nil then
        return resource.list(ctx)
    elseif method == "GET" then
        local named = resource.named and resource.named[id_text]
        if named then
            return named(ctx)
        end
        local id = resource.guid_ids and id_text or ids.from_path(id_text)
        if id == nil then
            return responses.not_found("No %s with id '%s' was found; ids are integers",
                resource.name, id_text)
        end
        return resource.get(ctx, id)
    elseif method == "POST" and id_text == nil and resource.save then
        return post(resource, ctx)
    elseif method == "DELETE" and id_text ~= nil and resource.delete then
        local id = resource.guid_ids and id_text or ids.from_path(id_text)
        if id == nil then
            return responses.not_found("No %s with id '%s' was found", resource.name, id_text)
        end
        return resource.delete(ctx, id)
    end

    local allowed = { "GET" }
    if resource.save then
        allowed[#allowed + 1] = "POST"
    end
    if resource.delete then
        allowed[#allowed + 1] = "DELETE"
    end
    local shown_path = "/api/" .. resource.name .. (id_text and "/{id}" or "")
    if resource.save == nil and (method == "POST" or method == "DELETE") then
        return responses.method_not_allowed(method, shown_path .. " (read-only in the simulator)",
            allowed)
    end
    return responses.method_not_allowed(method, shown_path, allowed)
end

-- Handles a request outside /_sim/. path is lower-case with percent escapes decoded and no
-- trailing slash; q is the parsed query. Returns a response table.
function router.handle(request, path, q)
    local segments = {}
    for segment in path:gmatch("[^/]+") do
        segments[#segments + 1] = segment
    end

    if path == "/auth/token" or path == "/token" then
        return auth.token_endpoint(request, q)
    end
    if segments[1] == "api" then
        return handle_api(request, segments, q)
    end
    return responses.not_found("No endpoint matches %s; the API is under /api/ and tokens " ..
        "come from /auth/token", request.path)
end

-- Returns true when a path counts toward the rate limit.
function router.is_rate_limited(path)
    return path:sub(1, 5) == "/api/" or path == "/api" or path == "/auth/token"
        or path == "/token"
end

return router
