-- One of the MSP's workflow files does not compile: halyard reports it with file:line in its
-- log and in `halyard workflows lint`, and the MSP's other workflows still work.

local acme = halo.client{id = 12, name = "Acme Ltd"}
local jane = halo.user{name = "Jane Doe", client = acme}
halyard.import(acme)

halyard.workflow("broken.lua", [[
return {
    name = "Half-written workflow",
    status = "active"
    scope = "all",
}
]])
halyard.workflow("coffee_machine.lua", [[
return {
    name = "Coffee machine fault",
    status = "active",
    scope = "all",
    trigger = "The office coffee machine is broken.",
    match = {any = {"coffee machine"}},
    instructions = "1. Call the coffee machine supplier.",
    samples = {
        match = {{source = "written", summary = "Coffee machine broken", details = "no coffee"}},
        no_match = {{source = "written", summary = "Printer jam", details = "paper jam"}},
    },
}
]])

local status, output = halyard.lint()
expect.eq(status, 1, "lint's exit status")
expect.contains(output, "broken.lua:4:", "lint names the file and line")

local ticket = halo.log_ticket{user = jane, summary = "Coffee machine broken",
    details = "The coffee machine in the kitchen shows an error."}
expect.note(ticket, {contains = "Coffee machine fault"})
expect.logged("broken.lua:4:")
