-- Log lines through the C host (`halosim <level> <message>` on stderr). The host prints
-- warnings and errors always, info and debug only with --verbose.
--
-- Callers pass the ids involved and never a secret, a token or a whole body.
local log = {}

local function write(level, format, ...)
    local ok, message = pcall(string.format, format, ...)
    if not ok then
        message = format
    end
    host.log(level, message)
end

function log.debug(format, ...)
    write("debug", format, ...)
end

function log.info(format, ...)
    write("info", format, ...)
end

function log.warning(format, ...)
    write("warning", format, ...)
end

function log.error(format, ...)
    write("error", format, ...)
end

return log
