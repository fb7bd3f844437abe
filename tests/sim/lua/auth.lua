-- OAuth 2 client credentials: GET /api/authinfo, POST /auth/token and /token, the bearer check
-- on /api/*, and what each scope allows.
--
-- The token endpoint checks, in this order: the form body, the client (client_id and
-- client_secret from the form or an HTTP Basic header, and the tenant), grant_type, scope. A
-- wrong client gets token_error_status (default 401) {"error":"invalid_client"}. When a tenant
-- is configured, a request for another tenant is a request for a client that tenant does not
-- have, so it also gets invalid_client; a request without ?tenant= is accepted because the host
-- already names the tenant. Tokens are opaque random strings that expire on the test clock.
local base64 = require "base64"
local clock = require "clock"
local encode = require "encode"
local ids = require "ids"
local log = require "log"
local query = require "query"
local responses = require "responses"
local state = require "state"

local auth = {}

-- What each scope allows, per right (the `right` a resource declares) and access (read or
-- write). Only the scope names are published, so this table is the simulator's reading of
-- them. "all" allows everything and "all:standard" everything except administration. "admin"
-- and "admin:webhooks" allow the webhook configuration, and read:X/edit:X their area. The lookup lists (agents,
-- statuses, priorities, ticket types, outcomes) are readable with any valid token.
local RIGHTS = {
    tickets = {
        read = { "all", "all:standard", "read:tickets", "edit:tickets" },
        write = { "all", "all:standard", "edit:tickets" },
    },
    customers = {
        read = { "all", "all:standard", "read:customers", "edit:customers" },
        write = { "all", "all:standard", "edit:customers" },
    },
    assets = {
        read = { "all", "all:standard", "read:assets", "edit:assets" },
        write = { "all", "all:standard", "edit:assets" },
    },
    teams = {
        read = { "all", "all:standard", "all:teams", "read:teams" },
        write = { "all", "all:standard", "all:teams" },
    },
    webhooks = {
        read = { "all", "admin", "admin:webhooks" },
        write = { "all", "admin", "admin:webhooks" },
    },
}

local tokens = {}
local token_count = 0

function auth.reset()
    tokens = {}
    token_count = 0
end

local function split_scopes(text)
    local list = {}
    for scope in (text or ""):gmatch("%S+") do
        list[#list + 1] = scope
    end
    return list
end

-- Returns "<scheme>://<host>" for the request, from its Host header and the tls option.
function auth.base_url(request)
    local options = state.options
    local scheme = options.tls and "https" or "http"
    local host = request.headers and request.headers["host"]
    if host == nil or host == "" or not host:match("^[%w%.%-:%[%]]+$") then
        host = string.format("%s:%d", options.bind or "127.0.0.1", options.port or 0)
    end
    return scheme .. "://" .. host
end

-- GET /api/authinfo (anonymous): where to ask for tokens.
function auth.authinfo(request)
    local body = encode.object({ auth_url = auth.base_url(request) .. "/auth" })
    if state.options.tenant then
        body.tenant_id = state.options.tenant
    end
    return responses.json(200, body)
end

local function token_error(status, code, description)
    local body = encode.object({ error = code })
    if description then
        body.error_description = description
    end
    return responses.json(status, body, { ["Cache-Control"] = "no-store", Pragma = "no-cache" })
end

-- Returns client_id, client_secret from the form or an HTTP Basic Authorization header.
local function client_credentials(request, form)
    local header = request.headers["authorization"]
    if header then
        local encoded = header:match("^[Bb][Aa][Ss][Ii][Cc]%s+(%S+)")
        local decoded = encoded and base64.decode(encoded)
        local id, secret = (decoded or ""):match("^([^:]*):(.*)$")
        if id then
            return query.percent_decode(id), query.percent_decode(secret)
        end
    end
    return form.client_id, form.client_secret
end

-- Removes expired tokens once many have been issued, so a long run keeps memory bounded.
local function sweep_tokens(now_ms)
    if token_count < 1000 then
        return
    end
    local kept = 0
    for token, info in pairs(tokens) do
        if info.expires_ms <= now_ms then
            tokens[token] = nil
        else
            kept = kept + 1
        end
    end
    token_count = kept
end

-- POST /auth/token and /token.
function auth.token_endpoint(request, q)
    local options = state.options
    if request.method ~= "POST" then
        return responses.method_not_allowed(request.method, request.path, { "POST" })
    end
    local content_type = (request.headers["content-type"] or ""):lower()
    if not content_type:find("application/x-www-form-urlencoded", 1, true) then
        return token_error(400, "invalid_request", "send the token request as " ..
            "application/x-www-form-urlencoded, not '" .. content_type .. "'")
    end
    local form = query.parse_form(request.body)

    local client_id, client_secret = client_credentials(request, form)
    local tenant = q:get("tenant")
    local tenant_ok = options.tenant == nil or tenant == nil
        or tenant:lower() == options.tenant:lower()
    if client_id ~= options.client_id or client_secret ~= options.client_secret
        or not tenant_ok then
        log.info("token request rejected: invalid client '%s'%s", tostring(client_id),
            tenant_ok and "" or (" for tenant '" .. tenant .. "'"))
        return token_error(options.token_error_status or 401, "invalid_client")
    end

    if form.grant_type ~= "client_credentials" then
        return token_error(400, "unsupported_grant_type", string.format(
            "grant_type '%s' is not supported; use client_credentials",
            tostring(form.grant_type or "")))
    end

    local allowed = {}
    local allowed_list = split_scopes(options.scopes)
    for _, scope in ipairs(allowed_list) do
        allowed[scope] = true
    end
    local requested = split_scopes(form.scope)
    for _, scope in ipairs(requested) do
        if not allowed[scope] then
            return token_error(400, "invalid_scope", string.format(
                "scope '%s' is not enabled for this application; enabled: %s", scope,
                options.scopes))
        end
    end
    -- Without a scope the token gets "all" when the application has it, else every allowed one.
    if #requested == 0 then
        requested = allowed.all and { "all" } or allowed_list
    end

    local granted = {}
    for _, scope in ipairs(requested) do
        granted[scope] = true
    end
    local now_ms = clock.now_ms()
    sweep_tokens(now_ms)
    local token = ids.token()
    tokens[token] = { expires_ms = now_ms + options.token_lifetime * 1000, scopes = granted }
    token_count = token_count + 1

    local scope_text = table.concat(requested, " ")
    log.info("token issued to client '%s' (scope '%s', %d s)", client_id, scope_text,
        options.token_lifetime)
    return responses.json(200, encode.object({
        token_type = "Bearer",
        access_token = token,
        expires_in = options.token_lifetime,
        scope = scope_text,
        refresh_token = "",
        id_token = "",
    }), { ["Cache-Control"] = "no-store", Pragma = "no-cache" })
end

local function unauthorized(description)
    return responses.json(401, encode.object({ error = "invalid_token",
        error_description = description }),
        { ["WWW-Authenticate"] = 'Bearer error="invalid_token"' })
end

-- Checks the bearer token of an /api request. Returns the token's scope set, or nil and a 401
-- response when the token is missing, unknown or expired.
function auth.check_bearer(request)
    local header = request.headers["authorization"]
    local token = header and header:match("^[Bb][Ee][Aa][Rr][Ee][Rr]%s+(%S+)%s*$")
    if token == nil then
        return nil, unauthorized("the request has no Authorization: Bearer header; get a " ..
            "token from /auth/token first")
    end
    local info = tokens[token]
    if info == nil then
        return nil, unauthorized("the access token is not known (issued before a reset or a " ..
            "restart?); get a new one from /auth/token")
    end
    if info.expires_ms <= clock.now_ms() then
        return nil, unauthorized("the access token has expired; get a new one from /auth/token")
    end
    return info.scopes
end

-- Returns true when a token with scopes may use right ("tickets", "webhooks", ...; "lookups"
-- needs no scope) for reading (write = false) or writing.
function auth.allows(scopes, right, write)
    local rule = RIGHTS[right]
    if rule == nil then
        return true
    end
    for _, scope in ipairs(write and rule.write or rule.read) do
        if scopes[scope] then
            return true
        end
    end
    return false
end

-- Returns the scopes that grant right, for the 403 message.
function auth.scopes_for(right, write)
    local rule = RIGHTS[right]
    return table.concat(rule and (write and rule.write or rule.read) or {}, ", ")
end

return auth
