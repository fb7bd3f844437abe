#include "lua_match_index.h"

#include <stdio.h>
#include <stdlib.h>

#include "lua_meter.h"
#include "lua_text.h"
#include "match_index_private.h"
#include "match_output.h"

const char *const halyard_match_field_names[MATCH_FIELD_COUNT] = {"summary", "details", "notes"};
const char *const halyard_match_kind_names[] = {"any", "all", "none", NULL};

/* A word of a ticket: a span of the tokens' text. The offsets fit 32 bits because
 * match_index.prepare rejects texts of 4 GiB or more. */
typedef struct {
    uint32_t offset;
    uint32_t length;
} match_span;

/* A ticket's words: field f has words[first_word[f] .. first_word[f + 1]). Two neighbouring
 * words of one field are one space apart in text. text follows the header in the tokens'
 * block, and words is a block of its own, the tokens' user value. */
typedef struct {
    size_t first_word[MATCH_FIELD_COUNT + 1];
    size_t text_offset[MATCH_FIELD_COUNT];
    size_t text_length[MATCH_FIELD_COUNT];
    match_span *words;
    char *text;
} match_tokens;

/* Which members a scan takes. With only_one, only the member numbered only. Otherwise every
 * member for all clients, and a member scoped to clients when has_client is set and client is
 * one of them. */
typedef struct {
    int has_client;
    lua_Integer client;
    int only_one;
    uint32_t only;
} match_filter;

/* ---- scanning ------------------------------------------------------------------------------ */

/* The state of one scan of a ticket's tokens through the index. */
typedef struct {
    match_index *index;
    const match_tokens *tokens;
    const match_filter *filter;
    halyard_lua_meter *meter;
    uint32_t field;
    /* The words of the field being scanned, and their count. */
    const match_span *words;
    size_t word_count;
    /* Members hit so far and taken by the filter. */
    size_t candidate_count;
} match_scan_state;

static int match_filter_takes(const match_index *index, const match_filter *filter,
                              uint32_t member_number)
{
    if (filter->only_one) {
        return member_number == filter->only;
    }
    const match_member *member = (const match_member *)index->members.data + member_number;
    if (member->every_client) {
        return 1;
    }
    if (!filter->has_client || member->client_count == 0) {
        return 0;
    }
    const lua_Integer *ids = (const lua_Integer *)index->clients.data + member->first_client;
    return bsearch(&filter->client, ids, member->client_count, sizeof *ids,
                   match_compare_clients) != NULL;
}

/* True when the words of phrase after its first occur from word position start on. */
static int match_phrase_follows(const match_scan_state *scan, const match_phrase *phrase,
                                size_t start)
{
    const match_word *expected = (const match_word *)scan->index->words.data + phrase->first_word;
    const char *arena = scan->index->arena.data;

    for (uint32_t k = 1; k < phrase->word_count; k++) {
        if (start + k >= scan->word_count) {
            return 0;
        }
        const match_span *word = &scan->words[start + k];
        const char *text = scan->tokens->text + word->offset;
        if (expected[k].prefix ? word->length < expected[k].length
                               : word->length != expected[k].length) {
            return 0;
        }
        if (memcmp(text, arena + expected[k].offset, expected[k].length) != 0) {
            return 0;
        }
    }
    return 1;
}

/* Records the hits of the phrases filed under value (a map value: first phrase plus 1) whose
 * first word matched the word at position. */
static void match_record_list(match_scan_state *scan, uint32_t value, size_t position)
{
    match_index *index = scan->index;
    match_phrase *phrases = index->phrases.data;
    match_member *members = index->members.data;
    match_hit *hits = index->hits.data;
    uint32_t *groups = index->groups.data;
    uint32_t *candidates = index->candidates.data;

    for (uint32_t next = value; next != 0; next = phrases[next - 1].next) {
        uint32_t number = next - 1;
        const match_phrase *phrase = &phrases[number];
        match_member *member = &members[phrase->member];
        halyard_lua_meter_charge(scan->meter, phrase->word_count);

        if ((member->fields & (1u << scan->field)) == 0 ||
            (phrase->word_count > 1 && !match_phrase_follows(scan, phrase, position))) {
            continue;
        }
        if (member->seen != index->scan) {
            member->seen = index->scan;
            member->accepted = (uint32_t)match_filter_takes(index, scan->filter, phrase->member);
            member->any_found = 0;
            member->groups_found = 0;
            member->excluded = 0;
            member->score = 0;
            if (member->accepted) {
                candidates[scan->candidate_count++] = phrase->member;
            }
        }
        if (!member->accepted || hits[number].scan == index->scan) {
            continue;
        }

        /* The phrase's first hit in this scan, which names its field. */
        hits[number].scan = index->scan;
        hits[number].field = scan->field;
        if (phrase->kind == MATCH_NONE) {
            member->excluded = 1;
            continue;
        }
        member->score += scan->field == MATCH_SUMMARY ? MATCH_SUMMARY_WEIGHT : 1;
        if (phrase->kind == MATCH_ANY) {
            member->any_found++;
        } else if (groups[member->first_group + phrase->group] != index->scan) {
            groups[member->first_group + phrase->group] = index->scan;
            member->groups_found++;
        }
    }
}

/* Looks the first length bytes of the word at position, whose hash is hash, up among the
 * prefixes. */
static void match_scan_prefix(match_scan_state *scan, const char *word, size_t position,
                              size_t length, uint32_t hash)
{
    halyard_lua_meter_charge(scan->meter, 1);
    uint32_t value = match_map_find(scan->index, &scan->index->prefix, word, length, hash);
    if (value != 0) {
        match_record_list(scan, value, position);
    }
}

/* Looks the word at position of the field being scanned up in every map. */
static void match_scan_word(match_scan_state *scan, size_t position)
{
    match_index *index = scan->index;
    const match_span *span = &scan->words[position];
    const char *word = scan->tokens->text + span->offset;
    size_t length = span->length;
    halyard_lua_meter_charge(scan->meter, 1);

    /* One pass over the word gives the hashes of its prefixes below MATCH_MASK_LENGTHS bytes:
     * prefix_hashes[n] is the hash of the first n bytes. Without prefixes, only the whole
     * word's hash is needed. */
    uint32_t prefix_hashes[MATCH_MASK_LENGTHS];
    size_t hashed = 0;
    prefix_hashes[0] = MATCH_HASH_START;
    if (index->prefix.slots.count > 0) {
        hashed = length < MATCH_MASK_LENGTHS ? length : MATCH_MASK_LENGTHS - 1;
        for (size_t i = 0; i < hashed; i++) {
            prefix_hashes[i + 1] = match_hash_more(prefix_hashes[i], word + i, 1);
        }
    }
    uint32_t hash = match_hash_more(prefix_hashes[hashed], word + hashed, length - hashed);

    uint32_t value = match_map_find(index, &index->exact, word, length, hash);
    if (value != 0) {
        match_record_list(scan, value, position);
    }

    /* Neighbouring words are one space apart in the text, so the pair is one span, and its hash
     * goes on from the word's. */
    if (position + 1 < scan->word_count && index->pair.slots.count > 0) {
        const match_span *next = &scan->words[position + 1];
        size_t pair_length = next->offset + next->length - span->offset;
        uint32_t pair_hash = match_hash_more(hash, word + length, pair_length - length);
        value = match_map_find(index, &index->pair, word, pair_length, pair_hash);
        if (value != 0) {
            match_record_list(scan, value, position);
        }
    }

    /* Prefixes shorter than a head are tried on every word, longer ones by the word's head. */
    if (index->prefix.slots.count == 0) {
        return;
    }
    for (size_t prefix = 1; prefix < MATCH_HEAD_LENGTH && prefix <= length; prefix++) {
        if ((index->short_lengths & (1u << prefix)) != 0) {
            match_scan_prefix(scan, word, position, prefix, prefix_hashes[prefix]);
        }
    }
    if (length < MATCH_HEAD_LENGTH || index->head.slots.count == 0) {
        return;
    }
    value = match_map_find(index, &index->head, word, MATCH_HEAD_LENGTH,
                           prefix_hashes[MATCH_HEAD_LENGTH]);
    if (value == 0) {
        return;
    }
    uint64_t lengths = ((const uint64_t *)index->heads.data)[value - 1];
    for (size_t prefix = MATCH_HEAD_LENGTH; prefix <= hashed; prefix++) {
        if ((lengths & ((uint64_t)1 << prefix)) != 0) {
            match_scan_prefix(scan, word, position, prefix, prefix_hashes[prefix]);
        }
    }
    if ((lengths & 1) != 0) {
        uint32_t long_hash = prefix_hashes[hashed];
        for (size_t prefix = MATCH_MASK_LENGTHS;
             prefix <= length && prefix <= index->longest_prefix; prefix++) {
            long_hash = match_hash_more(long_hash, word + prefix - 1, 1);
            match_scan_prefix(scan, word, position, prefix, long_hash);
        }
    }
}

/* Starts a new scan number, clearing the stamps when the numbers wrap around. */
static void match_next_scan(match_index *index)
{
    if (++index->scan != 0) {
        return;
    }
    match_member *members = index->members.data;
    match_hit *hits = index->hits.data;
    for (size_t i = 0; i < index->members.count; i++) {
        members[i].seen = 0;
    }
    for (size_t i = 0; i < index->hits.count; i++) {
        hits[i].scan = 0;
    }
    memset(index->groups.data, 0, index->groups.count * sizeof(uint32_t));
    index->scan = 1;
}

/* Scans every word of the tokens, field by field, recording where each phrase is first found
 * for the members the filter takes. Returns the number of candidates: the members hit. May
 * raise the meter's error. */
static size_t match_scan(match_index *index, const match_tokens *tokens, const match_filter *filter,
                         halyard_lua_meter *meter)
{
    match_scan_state scan = {.index = index, .tokens = tokens, .filter = filter, .meter = meter};
    match_next_scan(index);
    if (index->members.count == 0) {
        return 0;
    }

    for (uint32_t field = 0; field < MATCH_FIELD_COUNT; field++) {
        scan.field = field;
        scan.words = tokens->words + tokens->first_word[field];
        scan.word_count = tokens->first_word[field + 1] - tokens->first_word[field];
        for (size_t position = 0; position < scan.word_count; position++) {
            match_scan_word(&scan, position);
        }
    }
    return scan.candidate_count;
}

/* ---- deciding ------------------------------------------------------------------------------ */

/* The verdict on one member from the last scan. */
typedef struct {
    int matched;
    int excluded;
    lua_Integer score;
} match_verdict;

/* Decides a member: matched when no exclusion hit, an "any" phrase hit (if it has any), and
 * every "all" group has a phrase that hit. The score counts only when it matched. A member
 * the last scan did not hit has found nothing. */
static match_verdict match_decide(const match_index *index, uint32_t member_number)
{
    const match_member *member = (const match_member *)index->members.data + member_number;
    match_verdict verdict = {0};
    if (member->seen != index->scan) {
        verdict.matched = member->any_count == 0 && member->group_count == 0;
        return verdict;
    }
    verdict.excluded = (int)member->excluded;
    verdict.matched = !member->excluded && (member->any_count == 0 || member->any_found > 0) &&
                      member->groups_found == member->group_count;
    verdict.score = verdict.matched ? member->score : 0;
    return verdict;
}

/* Pushes the reasons of a member from the last scan: the exclusions that hit when
 * exclusions is set, else the "any" and "all" phrases that hit, in the rules' order.
 * texts is the stack position of the phrase texts. Stack: [] -> [reasons]. */
static void match_push_reasons(lua_State *L, const match_index *index, uint32_t member_number,
                               int exclusions, int texts)
{
    const match_member *member = (const match_member *)index->members.data + member_number;
    const match_phrase *phrases = (const match_phrase *)index->phrases.data + member->first_phrase;
    const match_hit *hits = (const match_hit *)index->hits.data + member->first_phrase;
    lua_Integer count = 0;

    lua_newtable(L);
    for (uint32_t i = 0; i < member->phrase_count; i++) {
        if (hits[i].scan != index->scan || (phrases[i].kind == MATCH_NONE) != exclusions) {
            continue;
        }
        lua_createtable(L, 0, 3);
        lua_pushstring(L, halyard_match_kind_names[phrases[i].kind]);
        lua_setfield(L, -2, "rule");
        lua_rawgeti(L, texts, (lua_Integer)(member->first_phrase + i) + 1);
        lua_setfield(L, -2, "phrase");
        lua_pushstring(L, halyard_match_field_names[hits[i].field]);
        lua_setfield(L, -2, "field");
        lua_rawseti(L, -2, ++count);
    }
}

/* Highest score first, then the lower order. */
static int match_compare_results(const void *left, const void *right)
{
    const match_result *a = left;
    const match_result *b = right;
    if (a->score != b->score) {
        return a->score > b->score ? -1 : 1;
    }
    return (a->order > b->order) - (a->order < b->order);
}

/* Sorts results with match_compare_results: by insertion when they are few, as they mostly
 * are (a ticket matches a handful of workflows), else with qsort. */
static void match_sort_results(match_result *results, size_t count)
{
    if (count > 32) {
        qsort(results, count, sizeof *results, match_compare_results);
        return;
    }
    for (size_t i = 1; i < count; i++) {
        match_result moving = results[i];
        size_t j = i;
        while (j > 0 && match_compare_results(&results[j - 1], &moving) > 0) {
            results[j] = results[j - 1];
            j--;
        }
        results[j] = moving;
    }
}

/* Reads the tokens argument at position arg and returns them. */
static match_tokens *match_check_tokens(lua_State *L, int arg)
{
    return luaL_checkudata(L, arg, MATCH_TOKENS_TYPE);
}

static size_t match_tokens_bytes(const match_tokens *tokens)
{
    return tokens->text_length[0] + tokens->text_length[1] + tokens->text_length[2];
}

/* Reads index:run's and index:run_json's arguments: the index, the tokens and the client id
 * (an integer, or nil for a ticket without a client). Stack: [index, tokens, client]. */
static void match_check_run(lua_State *L, match_index **index, const match_tokens **tokens,
                            match_filter *filter)
{
    *index = luaL_checkudata(L, 1, MATCH_INDEX_TYPE);
    *tokens = match_check_tokens(L, 2);
    memset(filter, 0, sizeof *filter);
    if (!lua_isnoneornil(L, 3)) {
        int is_integer = 0;
        filter->client = lua_tointegerx(L, 3, &is_integer);
        luaL_argexpected(L, is_integer, 3, "integer client id or nil");
        filter->has_client = 1;
    }
    lua_settop(L, 3);
}

/* Scans the tokens and decides every member hit, leaving those that matched in
 * index->matched, highest score first, then by order. Returns their number. May raise the
 * meter's error. */
static size_t match_find(match_index *index, const match_tokens *tokens, const match_filter *filter,
                         halyard_lua_meter *meter)
{
    size_t candidate_count = match_scan(index, tokens, filter, meter);
    const uint32_t *candidates = index->candidates.data;
    const match_member *members = index->members.data;
    match_result *matched = index->matched.data;
    size_t matched_count = 0;

    for (size_t i = 0; i < candidate_count; i++) {
        const match_member *member = &members[candidates[i]];
        halyard_lua_meter_charge(meter, 1);
        match_verdict verdict = match_decide(index, candidates[i]);
        if (verdict.matched) {
            matched[matched_count].score = verdict.score;
            matched[matched_count].order = member->order;
            matched[matched_count].member = candidates[i];
            matched_count++;
        }
    }
    match_sort_results(matched, matched_count);
    return matched_count;
}

static int match_index_run(lua_State *L)
{
    match_index *index = NULL;
    const match_tokens *tokens = NULL;
    match_filter filter;
    match_check_run(L, &index, &tokens, &filter);
    lua_getiuservalue(L, 1, MATCH_KEYS);
    lua_getiuservalue(L, 1, MATCH_TEXTS);
    int keys = 4;
    int texts = 5;

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "match_index.run", match_tokens_bytes(tokens));
    size_t matched_count = match_find(index, tokens, &filter, &meter);
    const match_result *matched = index->matched.data;

    /* Stack: [index, tokens, client, keys, texts] -> [..., results]. */
    lua_createtable(L, matched_count > INT32_MAX ? INT32_MAX : (int)matched_count, 0);
    const match_member *members = index->members.data;
    for (size_t i = 0; i < matched_count; i++) {
        halyard_lua_meter_charge(&meter, 4 + members[matched[i].member].phrase_count);
        lua_createtable(L, 0, 4);
        lua_rawgeti(L, keys, (lua_Integer)matched[i].member + 1);
        lua_setfield(L, -2, "key");
        lua_pushinteger(L, matched[i].score);
        lua_setfield(L, -2, "score");
        match_push_reasons(L, index, matched[i].member, 0, texts);
        lua_setfield(L, -2, "reasons");
        lua_pushinteger(L, matched[i].order);
        lua_setfield(L, -2, "order");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    halyard_lua_meter_end(&meter);
    return 1;
}

/* Writes score, a positive count of phrase points, in decimal into text (room for 21 bytes),
 * as LUA_INTEGER_FMT would but without a call into printf for every match. */
static void match_format_score(char text[32], lua_Integer score)
{
    char digits[24];
    size_t count = 0;
    lua_Unsigned value = (lua_Unsigned)(score < 0 ? 0 : score);
    do {
        digits[count++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    for (size_t i = 0; i < count; i++) {
        text[i] = digits[count - 1 - i];
    }
    text[count] = '\0';
}

/* Writes text into out and returns the position after it. */
static char *match_put(char *out, const char *text, size_t length)
{
    memcpy(out, text, length);
    return out + length;
}

/* The fixed texts of a reason and a score in the JSON host.match returns. */
#define MATCH_JSON_CONTAINS " contains "
#define MATCH_JSON_SCORE    "],\"score\":"

/* Returns the buffer room a matched member's JSON object takes at most, raising for a member
 * whose key was no workflow record when it was added. */
static size_t match_json_room(lua_State *L, const match_index *index, uint32_t member_number)
{
    const match_member *member = (const match_member *)index->members.data + member_number;
    const match_phrase *phrases = (const match_phrase *)index->phrases.data + member->first_phrase;
    if (!member->is_workflow) {
        luaL_error(L, "match_index.run_json: the key of a matched member was not a workflow "
                      "record with a name and a file when it was added; use index:run for other "
                      "keys");
    }

    /* A comma, the head, the score (at most 20 digits) and the tail, then for each reason a
     * comma, two quotes, the longest field name, " contains " and the quoted phrase. */
    size_t room =
        1 + member->json_head_length + sizeof MATCH_JSON_SCORE + 20 + member->json_tail_length;
    for (uint32_t i = 0; i < member->phrase_count; i++) {
        room += 3 + sizeof "summary" + sizeof MATCH_JSON_CONTAINS + phrases[i].quoted_length;
    }
    return room;
}

/* Writes a matched member's JSON object into out (match_json_room bytes), preceded by a comma
 * unless it is the first: the texts the member's add wrote, and a reason for each of its
 * "any" and "all" phrases that hit, in the rules' order. Returns the position after it. */
static char *match_write_json(char *out, const match_index *index, const match_result *result,
                              int first)
{
    const match_member *member = (const match_member *)index->members.data + result->member;
    const match_phrase *phrases = (const match_phrase *)index->phrases.data + member->first_phrase;
    const match_hit *hits = (const match_hit *)index->hits.data + member->first_phrase;
    const char *arena = index->arena.data;

    if (!first) {
        *out++ = ',';
    }
    out = match_put(out, arena + member->json_head_offset, member->json_head_length);
    int first_reason = 1;
    for (uint32_t i = 0; i < member->phrase_count; i++) {
        if (hits[i].scan != index->scan || phrases[i].kind == MATCH_NONE) {
            continue;
        }
        const char *field = halyard_match_field_names[hits[i].field];
        out = match_put(out, first_reason ? "\"" : ",\"", first_reason ? 1 : 2);
        out = match_put(out, field, strlen(field));
        out = match_put(out, MATCH_JSON_CONTAINS, sizeof MATCH_JSON_CONTAINS - 1);
        out = match_put(out, arena + phrases[i].quoted_offset, phrases[i].quoted_length);
        *out++ = '"';
        first_reason = 0;
    }
    out = match_put(out, MATCH_JSON_SCORE, sizeof MATCH_JSON_SCORE - 1);
    char score[32];
    match_format_score(score, result->score);
    out = match_put(out, score, strlen(score));
    return match_put(out, arena + member->json_tail_offset, member->json_tail_length);
}

static int match_index_run_json(lua_State *L)
{
    match_index *index = NULL;
    const match_tokens *tokens = NULL;
    match_filter filter;
    match_check_run(L, &index, &tokens, &filter);

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "match_index.run_json", match_tokens_bytes(tokens));
    size_t matched_count = match_find(index, tokens, &filter, &meter);
    const match_result *matched = index->matched.data;
    const match_member *members = index->members.data;

    /* Stack: [index, tokens, client, buffer]. Each object goes into room reserved for it. */
    luaL_Buffer buffer;
    luaL_buffinit(L, &buffer);
    luaL_addchar(&buffer, '[');
    for (size_t i = 0; i < matched_count; i++) {
        size_t room_size = match_json_room(L, index, matched[i].member);
        halyard_lua_meter_charge(&meter, 1 + members[matched[i].member].phrase_count +
                                             room_size / MATCH_BYTES_PER_STEP);
        char *room = luaL_prepbuffsize(&buffer, room_size);
        char *end = match_write_json(room, index, &matched[i], i == 0);
        luaL_addsize(&buffer, (size_t)(end - room));
    }
    luaL_addchar(&buffer, ']');
    halyard_lua_meter_end(&meter);
    luaL_pushresult(&buffer);
    return 1;
}

static int match_index_evaluate(lua_State *L)
{
    match_index *index = luaL_checkudata(L, 1, MATCH_INDEX_TYPE);
    const match_tokens *tokens = match_check_tokens(L, 2);
    lua_Integer order = luaL_checkinteger(L, 3);
    lua_settop(L, 3);
    lua_getiuservalue(L, 1, MATCH_TEXTS);
    int texts = 4;

    /* Evaluating is for one rule set's own index, so a linear search is enough. */
    match_filter filter = {.only_one = 1};
    const match_member *members = index->members.data;
    size_t found = 0;
    while (found < index->members.count && members[found].order != order) {
        found++;
    }
    if (found == index->members.count) {
        return luaL_argerror(L, 3, lua_pushfstring(L, "no rules were added with order %I", order));
    }
    filter.only = (uint32_t)found;

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "match_index.evaluate", match_tokens_bytes(tokens));
    match_scan(index, tokens, &filter, &meter);
    halyard_lua_meter_charge(&meter, 1 + members[found].phrase_count);
    match_verdict verdict = match_decide(index, filter.only);
    halyard_lua_meter_end(&meter);

    lua_pushboolean(L, verdict.matched);
    lua_pushinteger(L, verdict.score);
    match_push_reasons(L, index, filter.only, verdict.excluded, texts);
    return 3;
}

static int match_index_new(lua_State *L)
{
    match_index *index = lua_newuserdatauv(L, sizeof *index, MATCH_USER_VALUE_COUNT);
    memset(index, 0, sizeof *index);
    index->exact.user_value = MATCH_EXACT_SLOTS;
    index->pair.user_value = MATCH_PAIR_SLOTS;
    index->prefix.user_value = MATCH_PREFIX_SLOTS;
    index->head.user_value = MATCH_HEAD_SLOTS;
    luaL_setmetatable(L, MATCH_INDEX_TYPE);

    lua_newtable(L);
    lua_setiuservalue(L, -2, MATCH_KEYS);
    lua_newtable(L);
    lua_setiuservalue(L, -2, MATCH_TEXTS);
    return 1;
}

/* ---- tokens -------------------------------------------------------------------------------- */

/* Stores the words of the normalised text at offset used (length bytes) of tokens->text from
 * words[count] on, and returns the new count. Normalised text has single spaces between words
 * and none at either end. */
static size_t match_split_words(match_tokens *tokens, size_t used, size_t length, size_t count)
{
    const char *text = tokens->text + used;
    size_t start = 0;
    while (start < length) {
        const char *space = memchr(text + start, ' ', length - start);
        size_t end = space != NULL ? (size_t)(space - text) : length;
        tokens->words[count].offset = (uint32_t)(used + start);
        tokens->words[count].length = (uint32_t)(end - start);
        count++;
        start = end + 1;
    }
    return count;
}

static int match_index_prepare(lua_State *L)
{
    const char *inputs[MATCH_FIELD_COUNT];
    size_t lengths[MATCH_FIELD_COUNT];
    size_t total = 0;
    for (int field = 0; field < MATCH_FIELD_COUNT; field++) {
        inputs[field] = luaL_checklstring(L, field + 1, &lengths[field]);
        total += lengths[field];
    }
    lua_settop(L, MATCH_FIELD_COUNT);
    if (total >= UINT32_MAX) {
        return luaL_error(L,
                          "match_index.prepare: the ticket's text is %I bytes, over the "
                          "limit of 4 GiB",
                          (lua_Integer)total);
    }

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "match_index.prepare", total);
    halyard_lua_meter_charge(&meter, 1 + total / MATCH_BYTES_PER_STEP);

    /* Stack: [summary, details, notes, tokens]. The block holds the header and the normalised
     * texts, which are never longer than the inputs. */
    match_tokens *tokens = lua_newuserdatauv(L, sizeof(match_tokens) + total, 1);
    luaL_setmetatable(L, MATCH_TOKENS_TYPE);
    tokens->text = (char *)(tokens + 1);
    tokens->words = NULL;
    size_t used = 0;
    size_t count = 0;
    for (int field = 0; field < MATCH_FIELD_COUNT; field++) {
        char *text = tokens->text + used;
        size_t length = halyard_text_normalise_into(inputs[field], lengths[field], text);
        tokens->text_offset[field] = used;
        tokens->text_length[field] = length;
        used += length;
        count += length > 0;
        for (const char *space = memchr(text, ' ', length); space != NULL;
             space = memchr(space + 1, ' ', length - (size_t)(space + 1 - text))) {
            count++;
        }
    }

    /* The words, now counted, go into a block the tokens hold as their user value. */
    tokens->words = lua_newuserdatauv(L, count > 0 ? count * sizeof(match_span) : 1, 0);
    lua_setiuservalue(L, -2, 1);
    count = 0;
    for (int field = 0; field < MATCH_FIELD_COUNT; field++) {
        tokens->first_word[field] = count;
        count = match_split_words(tokens, tokens->text_offset[field], tokens->text_length[field],
                                  count);
    }
    tokens->first_word[MATCH_FIELD_COUNT] = count;
    halyard_lua_meter_charge(&meter, count);
    halyard_lua_meter_end(&meter);
    return 1;
}

static int match_index_texts(lua_State *L)
{
    const match_tokens *tokens = match_check_tokens(L, 1);
    for (int field = 0; field < MATCH_FIELD_COUNT; field++) {
        lua_pushlstring(L, tokens->text + tokens->text_offset[field], tokens->text_length[field]);
    }
    return MATCH_FIELD_COUNT;
}

int halyard_open_match_index(lua_State *L)
{
    static const luaL_Reg index_methods[] = {
        {"add", halyard_match_index_add},
        {"run", match_index_run},
        {"run_json", match_index_run_json},
        {"evaluate", match_index_evaluate},
        {NULL, NULL},
    };
    static const luaL_Reg functions[] = {
        {"new", match_index_new},
        {"prepare", match_index_prepare},
        {"texts", match_index_texts},
        {"describe", halyard_match_describe},
        {"encode_matches", halyard_match_encode_matches},
        {NULL, NULL},
    };

    /* The metatables hide themselves, so code holding an index cannot swap its methods. */
    luaL_newmetatable(L, MATCH_INDEX_TYPE);
    luaL_newlib(L, index_methods);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);
    luaL_newmetatable(L, MATCH_TOKENS_TYPE);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 1);

    luaL_newlib(L, functions);
    return 1;
}
