-- Bug: a ticket whose details held a long paste with many "<" before letters and no ">" after
-- them (20 KB of C source with comparisons) was never screened. Reading the details as HTML
-- scanned to the end of the text from every "<", which exceeded the instruction limit on
-- every retry, so no plan note came. Each shape here is over 100 KB and must be read in time.
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local function repeat_to(unit, size)
    return string.rep(unit, size // #unit + 1)
end
local SIZE = 120 * 1024
local SHAPES = {
    {"source code with comparisons",
        repeat_to("for (i = 0; i<count && j<limit; i++) total += values[i];\n", SIZE)},
    {"unclosed tags", repeat_to("<a", SIZE)},
    {"unclosed style blocks then a tag", repeat_to("<style ", SIZE) .. "<b>end</b>"},
    {"comment opens then a tag", repeat_to("<!--", SIZE) .. "<b>end</b>"},
    {"tag soup", repeat_to("<s>a<span>", SIZE)},
    {"one long tag", "<b " .. repeat_to("x<y ", SIZE) .. ">end"},
}

local tickets = {}
for index, shape in ipairs(SHAPES) do
    expect.eq(#shape[2] > 100 * 1024, true, shape[1] .. " is over 100 KB")
    tickets[index] = halo.log_ticket{user = jane, summary = "Build script fails",
        details = "Our nightly build fails, the output is below.\n" .. shape[2]}
end
halyard.settle{timeout = 60}

for _, ticket in ipairs(tickets) do
    expect.note(ticket, {contains = "halyard plan for ticket", timeout = 30})
end
for line in halyard.log():gmatch("[^\n]+") do
    expect.eq(line:find("instruction limit", 1, true), nil, "no screening hit the limit: " .. line)
end
