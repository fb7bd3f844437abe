-- Bob's request, passed on by Jane below a mail client's attribution, is Bob's, so Jane gets no
-- challenge for it and the run is held (docs/verification.md). The attributions here are
-- Thunderbird's Polish one, Gmail's Chinese, Japanese and Korean ones (the first two end with a
-- full-width colon) and a line framed by dashes.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
local sam = halo.technician{id = 3, name = "Sam Lead"}
halyard.import(acme)

local BOB_REQUEST = "I forgot my password, please reset it."
local shapes = {
    {name = "Thunderbird Polish", attribution = "W dniu 03.06.2026 o 09:14, Bob Stone pisze:"},
    {name = "Gmail Chinese", attribution = "Bob Stone <bob.stone@acme.example> "
        .. "\228\186\1422026\229\185\1806\230\156\1363\230\151\165 09:14"
        .. "\229\134\153\233\129\147\239\188\154"},
    {name = "Gmail Japanese", attribution = "2026\229\185\1806\230\156\1363\230\151\165 9:14 "
        .. "Bob Stone \227\129\149\227\130\147\227\129\175\230\155\184\227\129\141\227\129\190"
        .. "\227\129\151\227\129\159\239\188\154"},
    {name = "Korean", attribution = "Bob Stone\235\139\152\236\157\180 \236\158\145\236\132\177:"},
    {name = "dashed line", attribution = "--- Bob Stone wrote ---"},
}
local challenged = {}
for _, shape in ipairs(shapes) do
    local ticket = halo.log_ticket{user = jane, summary = "Passing this on",
        details = "Bob asked me to pass this on.\n\n" .. shape.attribution .. "\n" .. BOB_REQUEST}
    halo.update(ticket, {technician = sam, assign = sam})
    halyard.settle{timeout = 20}
    local run = halyard.runs(ticket)[1]
    if run.state == "awaiting_verification" then
        challenged[#challenged + 1] = shape.name
    end
end
expect.eq(table.concat(challenged, "; "), "", "quoted requests that challenged Jane")
