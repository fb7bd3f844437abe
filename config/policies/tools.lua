-- The tool policy: which tools run on their own ("auto"), wait for the assigned technician's
-- approval ("approval_needed") or are never offered to the agent ("disabled").
--
-- An MSP copies this file to <scripts_dir>/<msp>/policies/tools.lua, where it replaces this
-- one. A key is a tool name ("halo.add_note"), a family pattern ("halo.*") or "*". For each
-- tool, halyard takes the first entry that matches: the client's entries, then default's, and
-- within each the exact name, then the family pattern, then "*". A tool without an entry runs
-- on its own when it only reads and needs approval when it writes. On a sensitive ticket
-- whose requester is not verified, every write tool needs approval, whatever this file sets.
-- While a copy of this file fails to load and no earlier version of it serves, every write
-- tool is disabled and every read tool runs on its own. docs/tools.md has examples.
return {
    default = {
        -- ["halo.add_note"] = "auto",
    },

    clients = {
        -- [12] = {["m365.*"] = "disabled", ["halo.reply"] = "approval_needed"},
    },
}
