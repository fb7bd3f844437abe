-- Response tables for the C host, and HaloPSA's error bodies.
--
-- HaloPSA (ASP.NET with Newtonsoft.Json) responds to a business-rule failure with a serialised
-- System.Exception ({"ClassName": "System.Exception", "Message": ..., ...}) and a
-- model-binding failure with an object keyed by the field path
-- ({"[0].client_id": ["The JSON value could not be converted to System.Int32."]}). The
-- simulator uses the exception shape for every 400, 403, 404 and 405 it raises itself, so every
-- error body is a JSON object.
local encode = require "encode"

local responses = {}

local JSON_TYPE = "application/json; charset=utf-8"

-- HResult of System.Exception (COR_E_EXCEPTION, 0x80131500) as .NET writes it.
local EXCEPTION_HRESULT = -2146233088

-- Returns a response carrying value encoded as JSON.
function responses.json(status, value, headers)
    local all_headers = { ["Content-Type"] = JSON_TYPE }
    for name, header_value in pairs(headers or {}) do
        all_headers[name] = header_value
    end
    return { status = status, headers = all_headers, body = encode.encode(value) }
end

-- Returns the body of a serialised System.Exception with message.
function responses.exception_body(message)
    return encode.object({
        ClassName = "System.Exception",
        Message = message,
        Data = encode.null,
        InnerException = encode.null,
        HelpURL = encode.null,
        StackTraceString = encode.null,
        RemoteStackTraceString = encode.null,
        RemoteStackIndex = 0,
        ExceptionMethod = encode.null,
        HResult = EXCEPTION_HRESULT,
        Source = "HaloAPI",
        WatsonBuckets = encode.null,
    })
end

-- Returns a response with the System.Exception body; formats message with string.format when
-- more arguments follow.
function responses.exception(status, message, ...)
    if select("#", ...) > 0 then
        message = string.format(message, ...)
    end
    return responses.json(status, responses.exception_body(message))
end

-- Returns an exception response for one record of a POST. When the body contained several
-- records, label names the record ("[1]") and is appended to the message. With one record the
-- message stays as HaloPSA words it.
function responses.record_error(status, label, message, ...)
    if select("#", ...) > 0 then
        message = string.format(message, ...)
    end
    if label then
        message = string.format("%s (record %s)", message, label)
    end
    return responses.exception(status, "%s", message)
end

function responses.bad_request(message, ...)
    return responses.exception(400, message, ...)
end

function responses.not_found(message, ...)
    return responses.exception(404, message, ...)
end

function responses.forbidden(message, ...)
    return responses.exception(403, message, ...)
end

-- Returns 405 listing the methods the path accepts.
function responses.method_not_allowed(method, path, allowed)
    local response = responses.exception(405, string.format(
        "The simulator does not support %s on %s; supported: %s", method, path,
        table.concat(allowed, ", ")))
    response.headers["Allow"] = table.concat(allowed, ", ")
    return response
end

-- Returns a 400 model-binding error. errors maps a field path to one message.
function responses.model_errors(errors)
    local body = encode.object()
    for path, message in pairs(errors) do
        body[path] = encode.array({ message })
    end
    return responses.json(400, body)
end
return responses
