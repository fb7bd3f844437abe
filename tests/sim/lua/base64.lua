-- Base64 (RFC 4648, standard alphabet with padding), for HTTP Basic credentials.
local base64 = {}

local ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local decode_table = {}
for index = 1, #ALPHABET do
    decode_table[ALPHABET:byte(index)] = index - 1
end

function base64.encode(data)
    local out = {}
    for position = 1, #data, 3 do
        local a, b, c = data:byte(position, position + 2)
        local group = (a << 16) | ((b or 0) << 8) | (c or 0)
        local chars = {}
        for shift_index = 0, 3 do
            local sextet = (group >> (18 - shift_index * 6)) & 0x3f
            chars[shift_index + 1] = ALPHABET:sub(sextet + 1, sextet + 1)
        end
        if not b then
            chars[3], chars[4] = "=", "="
        elseif not c then
            chars[4] = "="
        end
        out[#out + 1] = table.concat(chars)
    end
    return table.concat(out)
end

-- Decodes base64 text; returns the bytes, or nil, message when the text is not base64.
function base64.decode(text)
    text = text:gsub("%s", "")
    if #text % 4 ~= 0 or text:find("[^%w%+/=]") or text:find("=[^=]") then
        return nil, "not valid base64"
    end
    local out = {}
    for position = 1, #text, 4 do
        local group, padding = 0, 0
        for offset = 0, 3 do
            local byte = text:byte(position + offset)
            local value = decode_table[byte]
            if byte == 61 then
                padding = padding + 1
                value = 0
            end
            group = (group << 6) | value
        end
        local bytes = string.char((group >> 16) & 0xff, (group >> 8) & 0xff, group & 0xff)
        out[#out + 1] = bytes:sub(1, 3 - padding)
    end
    return table.concat(out)
end

return base64
