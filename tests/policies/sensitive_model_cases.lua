-- Unit cases of the sensitive policy's learned second opinion: sensitive.check_model's errors,
-- how classify uses a model, the shipped config/policies/sensitive_model.lua, and the
-- trainer's --folds, --exclude and training settings options.
--
--   lua5.4 tests/policies/sensitive_model_cases.lua [--root DIR]
--
-- Prints one line per failed check and a closing count. The exit status is 0 only when every
-- check passed.

local script_folder = arg[0]:match("^(.*)/[^/]*$") or "."
local root = script_folder .. "/../.."
if arg[1] == "--root" and arg[2] ~= nil then
    root = arg[2]
elseif arg[1] ~= nil then
    io.stderr:write("sensitive_model_cases.lua: unknown argument '", arg[1], "'; use --root DIR\n")
    os.exit(2)
end

local sandbox = dofile(script_folder .. "/sandbox.lua")
local policy = sandbox.load_policy(root .. "/config/policies/sensitive.lua")
local shipped = sandbox.load_policy(root .. "/config/policies/sensitive_model.lua")

local passed, failed = 0, 0

local function check(name, condition, detail)
    if condition then
        passed = passed + 1
    else
        failed = failed + 1
        print(string.format("FAIL %s%s", name, detail and (": " .. detail) or ""))
    end
end

-- Returns a model of 256 buckets with every weight zero, so the probability is the bias's.
local function flat_model(bias, threshold)
    return {buckets = 256, weights = string.rep("\0", 512), scale = 1, bias = bias,
        threshold = threshold or 0.9}
end

local KIOSK = {summary = "Kiosk offline", details = "The visitor kiosk in reception is blank."}
local RESET = {summary = "Forgotten password", details = "Please reset my password."}

-- Step 1: check_model names the field that is wrong.
local BAD_MODELS = {
    {"not a table", "text", "the model must be a table, got string"},
    {"buckets not a power of two", {buckets = 300, weights = string.rep("\0", 600), scale = 1,
        bias = 0, threshold = 0.5}, "model.buckets is 300; use a power of two"},
    {"buckets too few", {buckets = 128, weights = string.rep("\0", 256), scale = 1, bias = 0,
        threshold = 0.5}, "model.buckets is 128"},
    {"weights too short", {buckets = 256, weights = "\0\0", scale = 1, bias = 0,
        threshold = 0.5}, "model.weights must be a string of 512 bytes (two a bucket), got 2 "
        .. "bytes"},
    {"weights missing", {buckets = 256, scale = 1, bias = 0, threshold = 0.5},
        "model.weights must be a string of 512 bytes (two a bucket), got nil"},
    {"bias not a number", {buckets = 256, weights = string.rep("\0", 512), scale = 1,
        bias = "high", threshold = 0.5}, "model.bias must be a finite number, got high"},
    {"scale infinite", {buckets = 256, weights = string.rep("\0", 512), scale = math.huge,
        bias = 0, threshold = 0.5}, "model.scale must be a finite number"},
    {"threshold not a number", {buckets = 256, weights = string.rep("\0", 512), scale = 1,
        bias = 0, threshold = 0 / 0}, "model.threshold must be a finite number"},
    {"threshold of one", flat_model(0, 1), "model.threshold is 1; use a probability above 0"},
    {"threshold of zero", flat_model(0, 0), "model.threshold is 0; use a probability above 0"},
}
for _, case in ipairs(BAD_MODELS) do
    local ok, message = policy.check_model(case[2])
    check("check_model rejects " .. case[1], ok == nil, "it accepted the model")
    check("check_model names " .. case[1], message ~= nil
        and message:find(case[3], 1, true) ~= nil, tostring(message))
end
check("check_model accepts a flat model", policy.check_model(flat_model(0)) == true)
check("check_model accepts the shipped model", policy.check_model(shipped) == true)

-- Step 2: classify raises on a bad model, in lauxlib's wording.
local ok, message = pcall(policy.classify, KIOSK, nil, nil, {buckets = 3})
check("classify rejects a bad model", not ok)
check("classify names argument 4", tostring(message):find("bad argument #4 to 'classify' "
    .. "(model.buckets is 3", 1, true) ~= nil, tostring(message))

-- Step 3: the model adds to the rules and never takes a verdict away.
local confident = policy.classify(KIOSK, nil, nil, flat_model(5))
check("a confident model marks a passed ticket", confident.sensitive == true)
check("a confident model gives likely_sensitive", confident.reason == "likely_sensitive",
    tostring(confident.reason))
check("a confident model sets verification", confident.verification_required == true)
check("the probability is returned", confident.model_probability ~= nil
    and confident.model_probability > 0.99, tostring(confident.model_probability))
check("the evidence names the model", confident.matched:find("learned model", 1, true) ~= nil,
    confident.matched)

local doubtful = policy.classify(KIOSK, nil, nil, flat_model(-5))
check("a doubtful model passes the ticket", doubtful.sensitive == false)
check("a doubtful model keeps the rules' reason", doubtful.reason ~= "likely_sensitive",
    tostring(doubtful.reason))
check("a doubtful model's probability is returned", doubtful.model_probability ~= nil
    and doubtful.model_probability < 0.01, tostring(doubtful.model_probability))

local at_threshold = policy.classify(KIOSK, nil, nil, flat_model(0, 0.5))
check("a probability equal to the threshold counts", at_threshold.sensitive == true)

local rules = policy.classify(RESET, nil, nil, flat_model(-5))
check("the rules' verdict stands against the model", rules.sensitive == true)
check("the rules' reason stands", rules.reason == "password_reset", tostring(rules.reason))
check("the model is not asked when the rules decide", rules.model_probability == nil)

local without = policy.classify(KIOSK, nil, nil, nil)
check("no model, no probability", without.model_probability == nil)

-- Step 4: one weight moves the probability of the tickets whose words fall in its bucket.
local buckets = policy.model_buckets(KIOSK, 256)
check("model_buckets returns sorted buckets", #buckets > 0)
for index = 2, #buckets do
    check("model_buckets are sorted and distinct", buckets[index - 1] < buckets[index])
end
local weights = {}
for bucket = 0, 255 do
    weights[bucket + 1] = string.pack("<i2", bucket == buckets[1] and 10000 or 0)
end
local single_weight = {buckets = 256, weights = table.concat(weights), scale = 0.001, bias = -5,
    threshold = 0.9}
-- The sum of the weights is divided by the square root of the count of the ticket's buckets.
local moved = policy.classify(KIOSK, nil, nil, single_weight)
local expected = 1 / (1 + math.exp(-(10 / math.sqrt(#buckets) - 5)))
check("a weight in the ticket's bucket counts", moved.model_probability ~= nil
    and math.abs(moved.model_probability - expected) < 1e-9,
    string.format("%s, expected %s", tostring(moved.model_probability), tostring(expected)))
local one_word = policy.model_buckets({summary = "kiosk"}, 256)
local one_word_weights = {}
for bucket = 0, 255 do
    one_word_weights[bucket + 1] = string.pack("<i2", bucket == one_word[1] and 10000 or 0)
end
local alone = policy.model_probability({summary = "kiosk"}, {buckets = 256,
    weights = table.concat(one_word_weights), scale = 0.001, bias = -5, threshold = 0.9})
check("one bucket's weight counts whole", #one_word == 1
    and math.abs(alone - 1 / (1 + math.exp(-5))) < 1e-9, tostring(alone))
check("HTML and the summary are read like plain text", #policy.model_buckets({summary =
    "Kiosk offline", details = "<p>The visitor <b>kiosk</b> in reception is blank.</p>"}, 256)
    == #buckets)

-- Step 5: a word longer than five characters also counts by its first five, so a typo after
-- them shares a bucket with the word, and a word of five characters or fewer counts once.
local PREFIX_CASES = {
    {"reset", 1}, {"resets", 1}, {"account", 2}, {"passwrod", 2}, {"password", 2},
}
for _, case in ipairs(PREFIX_CASES) do
    local found = policy.model_buckets({details = case[1]}, 1048576)
    check(string.format("'%s' has %d buckets", case[1], case[2]), #found == case[2],
        tostring(#found))
end
local shared = 0
local password = policy.model_buckets({details = "password"}, 1048576)
for _, bucket in ipairs(policy.model_buckets({details = "passwrod"}, 1048576)) do
    for _, other in ipairs(password) do
        if bucket == other then
            shared = shared + 1
        end
    end
end
check("a typo shares the prefix bucket", shared == 1, tostring(shared))
local prefix_alone = policy.model_buckets({details = "passw"}, 1048576)
check("a prefix is not the same word", prefix_alone[1] ~= password[1]
    and prefix_alone[1] ~= password[2], tostring(prefix_alone[1]))

-- Step 6: the model's reading stays cheap on a long ticket of distinct words: it reads at
-- most 16384 characters, whatever the ticket's length.
local words = {}
for index = 1, 20000 do
    words[index] = string.format("w%dx%d", index, index * 7)
end
local long = {summary = "Notes", details = table.concat(words, " ")}
local count = 0
debug.sethook(function()
    count = count + 1000
end, "", 1000)
local probability = policy.model_probability(long, shipped)
debug.sethook()
check("a long ticket costs under 400,000 instructions", count < 400000, tostring(count))
check("a long ticket's probability is a probability", probability >= 0 and probability <= 1,
    tostring(probability))

-- Step 7: the trainer's --folds prints a row per left-out group, and --exclude takes a prefix
-- alone. The trainer runs under the interpreter running these cases.
local interpreter = arg[-1] or "lua5.4"
local trainer = string.format("%s %s/sensitive_train.lua --root %s", interpreter, script_folder,
    root)

local function run(command)
    local pipe = io.popen(command .. " 2>&1")
    local output = pipe:read("a")
    local ok = pipe:close()
    return ok, output
end

-- One seed and one epoch: the cases check what --folds prints, not what it measures, and the
-- default settings' 72 trainings per run took minutes. sensitive_train.lua --check trains with
-- the defaults.
local folds_ok, folds = run(trainer .. " --folds --seeds 1 --epochs 1")
check("--folds exits 0", folds_ok, folds)
for _, group in ipairs({"endava:0-2500", "endava:2501-5430", "written", "varied:1-302",
        "varied:303-498", "varied:499-767", "all groups"}) do
    check("--folds prints " .. group, folds:find("\n" .. group:gsub("%p", "%%%0") .. " +%d+ %(")
        ~= nil, folds)
end
local out = os.tmpname()
local written_ok, written = run(trainer .. " --exclude written --out " .. out)
os.remove(out)
check("--exclude written exits 0", written_ok, written)
local trained, total = written:match("(%d+) tune rows"), folds:match("all groups +(%d+)")
local written_rows = folds:match("\nwritten +(%d+)")
check("--exclude written leaves its rows out", trained ~= nil and total ~= nil
    and written_rows ~= nil and tonumber(total) - tonumber(trained) == tonumber(written_rows),
    written)
local bad_ok, bad = run(trainer .. " --exclude written-3")
check("--exclude rejects a bad group", not bad_ok, bad)
check("--exclude names the bad group", bad:find("--exclude is 'written-3'", 1, true) ~= nil, bad)

-- Step 8: --epochs, --learning-rate, --l2 and --seeds replace the training settings, reject
-- values that cannot be trained with, and a model trained with other settings names them.
check("--folds prints the settings it trained with", folds:find("\ntraining: epochs 1, learning "
    .. "rate 0.3, L2 0.003, seeds 1\n", 1, true) ~= nil, folds)
local BAD_SETTINGS = {
    {"--epochs 0", "--epochs is '0'; use a whole number of 1 or more"},
    {"--epochs 2.5", "--epochs is '2.5'; use a whole number of 1 or more"},
    {"--learning-rate 0", "--learning-rate is '0'; use a number above 0"},
    {"--learning-rate fast", "--learning-rate is 'fast'; use a number above 0"},
    {"--l2 -1", "--l2 is '-1'; use a number of 0 or more"},
    {"--seeds 0", "--seeds is '0'; use a whole number of 1 or more"},
    {"--seeds", "--seeds needs a value"},
}
for _, case in ipairs(BAD_SETTINGS) do
    local setting_ok, setting_output = run(trainer .. " " .. case[1])
    check(case[1] .. " is rejected", not setting_ok, setting_output)
    check(case[1] .. " is named", setting_output:find(case[2], 1, true) ~= nil, setting_output)
end
local short_folds_ok, short_folds = run(trainer .. " --folds --epochs 1 --seeds 1 "
    .. "--learning-rate 0.1 --l2 0")
check("--folds takes the settings", short_folds_ok and short_folds:find("\ntraining: epochs 1, "
    .. "learning rate 0.1, L2 0, seeds 1\n", 1, true) ~= nil, short_folds)
check("other settings change the folds", short_folds:match("\nall groups[^\n]*")
    ~= folds:match("\nall groups[^\n]*"), short_folds)
local trial = os.tmpname()
local trial_ok, trial_output = run(trainer .. " --epochs 1 --seeds 1 --out " .. trial)
check("a trial with other settings exits 0", trial_ok, trial_output)
local trial_file = io.open(trial, "r")
local trial_text = trial_file and trial_file:read("a") or ""
if trial_file then
    trial_file:close()
end
check("a trial's file names its settings", trial_text:find("\n-- Trained with epochs 1, "
    .. "learning rate 0.3, L2 0.003, seeds 1.\nreturn {", 1, true) ~= nil, trial_text:sub(1, 400))
local trial_loaded, trial_model = pcall(sandbox.load_policy, trial)
check("a trial's model is valid", trial_loaded and policy.check_model(trial_model) == true,
    tostring(trial_model))
check("a trial's weights differ from the shipped ones", trial_loaded
    and trial_model.weights ~= shipped.weights)
os.remove(trial)

print(string.format("%d checks passed, %d failed", passed, failed))
os.exit(failed == 0 and 0 or 1)
