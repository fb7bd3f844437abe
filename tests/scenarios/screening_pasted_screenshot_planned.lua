-- Bug: a ticket created from mail with a pasted screenshot (an <img> whose src is a data: URI
-- of a megabyte of base64) ran out of the screening's time in halyard's own HTML reading, so
-- it got "could not be screened" and, from 3 MB, no plan at all. A data: URI is never text a
-- reader sees: it is left out before the HTML is read, so these tickets are worked like any
-- other, and a request beside the picture is still challenged.
verifier.connect{provider = "traceless"}
local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme, email = "jane.doe@acme.example"}
halyard.import(acme)

local function base64_of(size)
    return ("iVBORw0KGgoAAAANSUhEUgAAB4AAAAQ4CAIAAABnsVYUAAAAA3NCSVQICAjb4U/gAAAgAElEQVR4"):rep(
        size // 64 + 1)
end
local SIZE = 512 * 1024
local harmless = "<p>The label printer in dispatch is jammed again, screenshot below.</p>"
local request = "<p>Also I forgot my password, please reset it.</p>"

local shapes = {
    {"double-quoted src", '<p><img src="data:image/png;base64,' .. base64_of(SIZE) .. '"></p>'},
    {"single-quoted src, upper case", "<IMG SRC='DATA:image/png;base64," .. base64_of(SIZE)
        .. "' width=600>"},
    {"css background", '<div style="background:url(data:image/jpeg;base64,'
        .. base64_of(SIZE) .. ')">&nbsp;</div>'},
    {"base64 wrapped into lines", '<img src="data:image/png;base64,'
        .. base64_of(SIZE):gsub(("."):rep(76), "%0\r\n") .. '">'},
    {"two pictures", ('<img src="data:image/png;base64,' .. base64_of(SIZE) .. '">'):rep(2)},
}

-- One harmless ticket with a picture, and each shape with a request beside it. The simulator
-- lists its deliveries in one response, so the pictures are kept to half a megabyte.
local plain = halo.log_ticket{user = jane, summary = "Printer jammed",
    details = harmless .. shapes[1][2]}
local sensitive = {}
for index, shape in ipairs(shapes) do
    sensitive[index] = halo.log_ticket{user = jane, summary = "Printer jammed",
        details = harmless .. shape[2] .. request}
end
halyard.settle{timeout = 60}

expect.note(plain, {contains = "halyard plan for ticket", timeout = 30})
for _, ticket in ipairs({plain, table.unpack(sensitive)}) do
    for _, action in ipairs(halo.actions(ticket)) do
        expect.eq(action.text:find("could not be screened", 1, true), nil,
            "a ticket with a pasted picture is screened")
    end
end
for index, shape in ipairs(shapes) do
    expect.run(sensitive[index], {state = "awaiting_verification"})
    expect.eq(verifier.expect_challenge(sensitive[index]).request.email,
        "jane.doe@acme.example", shape[1] .. ": the request beside the picture is challenged")
end
expect.eq(#verifier.challenges(), #shapes, "only the requests are challenged")
