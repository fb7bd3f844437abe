#include "match_index_private.h"

#include <stdlib.h>

#include "lua_meter.h"
#include "match_output.h"

/* ---- arrays and maps ----------------------------------------------------------------------- */

/*
 * Makes room for extra more elements of array, the index's user value user_value, growing its
 * block when needed; new room is zeroed. index_position is the index userdata's absolute stack
 * position. Raises a memory error when the state's limit is reached. Stack: unchanged.
 */
static void match_reserve(lua_State *L, int index_position, match_array *array, int user_value,
                          size_t element_size, size_t extra)
{
    if (extra <= array->capacity - array->count) {
        return;
    }
    if (extra > SIZE_MAX / element_size - array->count) {
        luaL_error(L, "the match index cannot grow by %I elements", (lua_Integer)extra);
    }
    size_t needed = array->count + extra;
    size_t capacity = array->capacity < 16 ? 16 : array->capacity;
    while (capacity < needed) {
        capacity = capacity > SIZE_MAX / 2 / element_size ? needed : capacity * 2;
    }

    void *grown = lua_newuserdatauv(L, capacity * element_size, 0);
    if (array->count > 0) {
        memcpy(grown, array->data, array->count * element_size);
    }
    memset((char *)grown + array->count * element_size, 0,
           (capacity - array->count) * element_size);
    lua_setiuservalue(L, index_position, user_value);
    array->data = grown;
    array->capacity = capacity;
}

/*
 * Makes room in map for extra more keys, rehashing into a larger block when the map would be
 * more than half full. Raises a memory error at the state's limit. Stack: unchanged.
 */
static void match_map_reserve(lua_State *L, int index_position, match_map *map, size_t extra)
{
    size_t needed = map->slots.count + extra;
    if (needed <= map->slots.capacity / 2) {
        return;
    }
    size_t capacity = 16;
    while (capacity / 2 < needed) {
        if (capacity > SIZE_MAX / 4 / sizeof(match_slot)) {
            luaL_error(L, "the match index cannot hold %I keys", (lua_Integer)needed);
        }
        capacity *= 2;
    }

    match_array old = map->slots;
    match_slot *slots = lua_newuserdatauv(L, capacity * sizeof *slots, 0);
    memset(slots, 0, capacity * sizeof *slots);
    map->slots.data = slots;
    map->slots.capacity = capacity;

    /* Stored hashes make rehashing a copy per key. */
    const match_slot *old_slots = old.data;
    for (size_t i = 0; i < old.capacity; i++) {
        if (old_slots[i].value == 0) {
            continue;
        }
        for (size_t j = old_slots[i].hash & (capacity - 1);; j = (j + 1) & (capacity - 1)) {
            if (slots[j].value == 0) {
                slots[j] = old_slots[i];
                break;
            }
        }
    }
    lua_setiuservalue(L, index_position, map->user_value);
}

/* Returns the slot of the key at offset in the arena, adding the key with value 0 when it is
 * new, and counting it. Room must have been reserved; raises nothing. */
static match_slot *match_map_add(match_index *index, match_map *map, uint32_t offset,
                                 uint32_t length)
{
    const char *key = (const char *)index->arena.data + offset;
    uint32_t hash = match_hash(key, length);
    match_slot *slot = match_map_slot(index, map, key, length, hash);
    if (slot->value == 0) {
        slot->hash = hash;
        slot->key_offset = offset;
        slot->key_length = length;
        map->slots.count++;
    }
    return slot;
}

/* ---- reading compiled rules ---------------------------------------------------------------- */

/* What one rule set adds to the index, counted before anything is changed. */
typedef struct {
    size_t phrase_count;
    size_t word_count;
    /* Arena bytes: exact once written, and an upper bound before, because a phrase's quoted
     * JSON text is only as long as its bytes' escapes make it. */
    size_t byte_count;
    size_t group_count;
    size_t client_count;
    size_t map_keys[4]; /* exact, pair, prefix, head */
    uint32_t fields;
} match_rules_size;

/* Raises argument error 3 of index:add: "compiled phrase <number> <problem>". */
static int match_phrase_error(lua_State *L, lua_Integer number, const char *problem)
{
    return luaL_argerror(L, 3, lua_pushfstring(L, "compiled phrase %I %s", number, problem));
}

/*
 * Reads phrase number (from 1) of the compiled rules at stack position phrases, checking it.
 * Adds its words and bytes to size, and files it under the map it goes into. When index is
 * not NULL, also writes its words, its quoted JSON text and its record past the arrays'
 * counts (room reserved) at the positions size counted so far, and its text into texts.
 * Raises argument error 3 for a malformed phrase. Stack: unchanged.
 */
static void match_read_phrase(lua_State *L, int phrases, lua_Integer number, int texts,
                              match_rules_size *size, match_index *index, uint32_t member)
{
    if (lua_rawgeti(L, phrases, number) != LUA_TTABLE) {
        match_phrase_error(L, number, "is not a table");
    }
    int phrase = lua_gettop(L);

    int kind = 0;
    if (match_raw_field(L, phrase, "kind") == LUA_TSTRING) {
        const char *name = lua_tostring(L, -1);
        while (halyard_match_kind_names[kind] != NULL &&
               strcmp(halyard_match_kind_names[kind], name) != 0) {
            kind++;
        }
    }
    if (lua_type(L, -1) != LUA_TSTRING || halyard_match_kind_names[kind] == NULL) {
        match_phrase_error(L, number, "has no kind any, all or none");
    }
    lua_pop(L, 1);

    lua_Integer group = 0;
    if (kind == MATCH_ALL) {
        match_raw_field(L, phrase, "group");
        int is_integer = 0;
        group = lua_tointegerx(L, -1, &is_integer);
        lua_pop(L, 1);
        if (!is_integer || group < 1 || (size_t)group > size->group_count) {
            match_phrase_error(L, number, "has no group in compiled.groups");
        }
    }

    if (match_raw_field(L, phrase, "text") != LUA_TSTRING) {
        match_phrase_error(L, number, "has no text; expected the phrase as written");
    }
    size_t phrase_length = 0;
    const char *phrase_text = lua_tolstring(L, -1, &phrase_length);
    if (phrase_length > (UINT32_MAX - 4) / HALYARD_MATCH_JSON_MAX_PER_BYTE) {
        match_phrase_error(L, number, "is longer than the index holds");
    }
    if (index != NULL) {
        /* The compiled rules keep the text, so phrase_text stays valid. */
        lua_rawseti(L, texts, (lua_Integer)(index->phrases.count + size->phrase_count) + 1);
    } else {
        lua_pop(L, 1);
    }

    if (match_raw_field(L, phrase, "words") != LUA_TTABLE || lua_rawlen(L, -1) == 0) {
        match_phrase_error(L, number, "has no words");
    }
    int words = lua_gettop(L);
    size_t word_count = lua_rawlen(L, words);
    size_t first_word = size->word_count;
    int first_prefix = 0;
    int second_prefix = 0;

    for (size_t i = 1; i <= word_count; i++) {
        size_t length = 0;
        if (lua_rawgeti(L, words, (lua_Integer)i) != LUA_TTABLE ||
            match_raw_field(L, -1, "text") != LUA_TSTRING || lua_rawlen(L, -1) == 0) {
            match_phrase_error(L, number, "has a word without text");
        }
        const char *text = lua_tolstring(L, -1, &length);
        match_raw_field(L, -2, "prefix");
        int prefix = lua_toboolean(L, -1);
        if (i == 1) {
            first_prefix = prefix;
        } else if (i == 2) {
            second_prefix = prefix;
        }

        if (index != NULL) {
            size_t offset = index->arena.count + size->byte_count;
            char *arena = (char *)index->arena.data + offset;
            memcpy(arena, text, length);
            arena[length] = ' ';
            match_word *word =
                (match_word *)index->words.data + index->words.count + size->word_count;
            word->offset = (uint32_t)offset;
            word->length = (uint32_t)length;
            word->prefix = (uint32_t)prefix;
        }
        size->byte_count += length + 1;
        size->word_count++;
        lua_pop(L, 3);
    }

    /* The map the phrase goes into: 0 exact, 1 pair, 2 prefix (3 counts heads). */
    int map = first_prefix ? 2 : (word_count >= 2 && !second_prefix ? 1 : 0);
    size->map_keys[map]++;
    if (first_prefix) {
        size->map_keys[3]++;
    }

    if (index != NULL) {
        match_phrase *record =
            (match_phrase *)index->phrases.data + index->phrases.count + size->phrase_count;
        record->member = member;
        record->first_word = (uint32_t)(index->words.count + first_word);
        record->word_count = (uint32_t)word_count;
        record->kind = (uint32_t)kind;
        record->group = kind == MATCH_ALL ? (uint32_t)(group - 1) : 0;
        record->next = 0;

        size_t offset = index->arena.count + size->byte_count;
        char *quoted = (char *)index->arena.data + offset;
        char *end = halyard_match_put_quoted_json(quoted, phrase_text, phrase_length);
        record->quoted_offset = (uint32_t)offset;
        record->quoted_length = (uint32_t)(end - quoted);
        size->byte_count += record->quoted_length;
    } else {
        size->byte_count += HALYARD_MATCH_JSON_MAX_PER_BYTE * phrase_length + 4;
    }
    size->phrase_count++;
    lua_pop(L, 2);
}

/*
 * Reads the compiled rules at stack position compiled (argument 3 of index:add), checking
 * them, into size. With index not NULL, also writes them past the arrays' counts as
 * match_read_phrase does. Raises argument error 3 for malformed rules. Stack: unchanged.
 */
static void match_read_rules(lua_State *L, int compiled, int texts, match_rules_size *size,
                             match_index *index, uint32_t member)
{
    memset(size, 0, sizeof *size);
    if (match_raw_field(L, compiled, "score") != LUA_TNIL) {
        luaL_argerror(L, 3, "rules with a score function are not keyword rules");
    }
    lua_pop(L, 1);

    if (match_raw_field(L, compiled, "groups") != LUA_TTABLE) {
        luaL_argerror(L, 3, "compiled.groups is not a table");
    }
    size->group_count = lua_rawlen(L, -1);
    lua_pop(L, 1);

    if (match_raw_field(L, compiled, "fields") != LUA_TTABLE) {
        luaL_argerror(L, 3, "compiled.fields is not a table");
    }
    for (int field = 0; field < MATCH_FIELD_COUNT; field++) {
        match_raw_field(L, -1, halyard_match_field_names[field]);
        if (lua_toboolean(L, -1)) {
            size->fields |= 1u << field;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    if (match_raw_field(L, compiled, "phrases") != LUA_TTABLE) {
        luaL_argerror(L, 3, "compiled.phrases is not a table");
    }
    int phrases = lua_gettop(L);
    lua_Integer count = (lua_Integer)lua_rawlen(L, phrases);
    for (lua_Integer number = 1; number <= count; number++) {
        match_read_phrase(L, phrases, number, texts, size, index, member);
    }
    lua_pop(L, 1);
}

/* Counts the client ids of a scope set at stack position clients: integer keys whose value is
 * true, the only ones a client id can find. When ids is not NULL, also writes them there. */
static size_t match_read_clients(lua_State *L, int clients, lua_Integer *ids)
{
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, clients) != 0) {
        if (lua_isinteger(L, -2) && lua_type(L, -1) == LUA_TBOOLEAN && lua_toboolean(L, -1)) {
            if (ids != NULL) {
                ids[count] = lua_tointeger(L, -2);
            }
            count++;
        }
        lua_pop(L, 1);
    }
    return count;
}

/* ---- index:add ----------------------------------------------------------------------------- */

/* The fixed texts around a workflow's file and name in the JSON host.match returns. */
#define MATCH_JSON_HEAD_START "{\"file\":\""
#define MATCH_JSON_HEAD_END   "\",\"reasons\":["
#define MATCH_JSON_TAIL_START ",\"workflow\":\""
#define MATCH_JSON_TAIL_END   "\"}"

/* The key of a rule set as index:run_json writes it, when the key is a workflow record. */
typedef struct {
    int is_workflow;
    const char *name;
    size_t name_length;
    const char *file;
    size_t file_length;
} match_workflow_key;

/* Reads the name and file of the key at stack position key when it is a workflow record (a
 * table with a string name and file). The strings stay valid while the key is on the stack.
 * Stack: unchanged. */
static match_workflow_key match_read_workflow_key(lua_State *L, int key)
{
    match_workflow_key workflow = {0};
    if (lua_type(L, key) != LUA_TTABLE) {
        return workflow;
    }
    int has_name = match_raw_field(L, key, "name") == LUA_TSTRING;
    int has_file = match_raw_field(L, key, "file") == LUA_TSTRING;
    if (has_name && has_file) {
        workflow.is_workflow = 1;
        workflow.name = lua_tolstring(L, -2, &workflow.name_length);
        workflow.file = lua_tolstring(L, -1, &workflow.file_length);
    }
    lua_pop(L, 2);
    return workflow;
}

/* The arena bytes a workflow key's JSON texts take at most. */
static size_t match_workflow_json_bound(const match_workflow_key *workflow)
{
    if (!workflow->is_workflow) {
        return 0;
    }
    return sizeof MATCH_JSON_HEAD_START + sizeof MATCH_JSON_HEAD_END +
           sizeof MATCH_JSON_TAIL_START + sizeof MATCH_JSON_TAIL_END +
           HALYARD_MATCH_JSON_MAX_PER_BYTE * (workflow->name_length + workflow->file_length);
}

/* Writes the fixed text into out and returns the position after it. */
static char *match_put_text(char *out, const char *text, size_t length)
{
    memcpy(out, text, length);
    return out + length;
}

/* Writes a workflow key's JSON texts into the arena past its count, from offset used on (room
 * reserved), and records where they are in member. Returns the bytes written. */
static size_t match_write_workflow_json(match_index *index, size_t used,
                                        const match_workflow_key *workflow, match_member *member)
{
    char *start = (char *)index->arena.data + index->arena.count + used;
    char *end = match_put_text(start, MATCH_JSON_HEAD_START, sizeof MATCH_JSON_HEAD_START - 1);
    end = halyard_match_put_json(end, workflow->file, workflow->file_length);
    end = match_put_text(end, MATCH_JSON_HEAD_END, sizeof MATCH_JSON_HEAD_END - 1);
    char *tail = end;
    end = match_put_text(end, MATCH_JSON_TAIL_START, sizeof MATCH_JSON_TAIL_START - 1);
    end = halyard_match_put_json(end, workflow->name, workflow->name_length);
    end = match_put_text(end, MATCH_JSON_TAIL_END, sizeof MATCH_JSON_TAIL_END - 1);

    member->is_workflow = 1;
    member->json_head_offset = (uint32_t)(index->arena.count + used);
    member->json_head_length = (uint32_t)(tail - start);
    member->json_tail_offset = (uint32_t)(index->arena.count + used + (size_t)(tail - start));
    member->json_tail_length = (uint32_t)(end - tail);
    return (size_t)(end - start);
}

/* Files the phrases of the member just written (records past the counts) into the maps and
 * heads, and advances the counts. Room was reserved for everything; raises nothing. */
static void match_commit(match_index *index, const match_rules_size *size, uint32_t member_number)
{
    match_phrase *phrases = index->phrases.data;
    const match_word *words = index->words.data;

    for (size_t i = 0; i < size->phrase_count; i++) {
        uint32_t number = (uint32_t)(index->phrases.count + i);
        match_phrase *phrase = &phrases[number];
        const match_word *first = &words[phrase->first_word];
        const match_word *second = phrase->word_count >= 2 ? first + 1 : NULL;
        match_map *map = &index->exact;
        uint32_t key_length = first->length;

        if (first->prefix) {
            map = &index->prefix;
        } else if (second != NULL && !second->prefix) {
            /* The two words sit in the arena with one space between them. */
            map = &index->pair;
            key_length = first->length + 1 + second->length;
        }
        match_slot *slot = match_map_add(index, map, first->offset, key_length);
        phrase->next = slot->value;
        slot->value = number + 1;

        if (!first->prefix) {
            continue;
        }
        if (first->length < MATCH_HEAD_LENGTH) {
            index->short_lengths |= 1u << first->length;
            continue;
        }
        match_slot *head = match_map_add(index, &index->head, first->offset, MATCH_HEAD_LENGTH);
        if (head->value == 0) {
            head->value = (uint32_t)++index->heads.count;
        }
        uint64_t *lengths = (uint64_t *)index->heads.data + head->value - 1;
        *lengths |= first->length < MATCH_MASK_LENGTHS ? (uint64_t)1 << first->length : 1;
        if (first->length > index->longest_prefix) {
            index->longest_prefix = first->length;
        }
    }

    index->arena.count += size->byte_count;
    index->words.count += size->word_count;
    index->phrases.count += size->phrase_count;
    index->hits.count += size->phrase_count;
    index->groups.count += size->group_count;
    index->clients.count += size->client_count;
    index->members.count = member_number + 1;
}

int halyard_match_index_add(lua_State *L)
{
    match_index *index = luaL_checkudata(L, 1, MATCH_INDEX_TYPE);
    luaL_argcheck(L, !lua_isnoneornil(L, 2), 2, "the key must not be nil");
    luaL_checktype(L, 3, LUA_TTABLE);
    lua_Integer order = luaL_checkinteger(L, 4);
    if (!lua_isnoneornil(L, 5)) {
        luaL_checktype(L, 5, LUA_TTABLE);
    }
    lua_settop(L, 5);
    luaL_checkstack(L, 12, "reading compiled rules");
    lua_getiuservalue(L, 1, MATCH_KEYS);
    lua_getiuservalue(L, 1, MATCH_TEXTS);
    int keys = 6;
    int texts = 7;

    /* Check and count everything before anything changes. */
    match_rules_size size;
    match_read_rules(L, 3, texts, &size, NULL, 0);
    size.client_count = lua_isnil(L, 5) ? 0 : match_read_clients(L, 5, NULL);
    match_workflow_key workflow = match_read_workflow_key(L, 2);
    if (workflow.name_length > UINT32_MAX || workflow.file_length > UINT32_MAX) {
        return luaL_error(L, "the match index is full: it holds names and files of at most "
                             "4 GiB");
    }
    size.byte_count += match_workflow_json_bound(&workflow);
    if (index->members.count >= UINT32_MAX - 1 ||
        size.phrase_count > UINT32_MAX - 1 - index->phrases.count ||
        size.word_count > UINT32_MAX - 1 - index->words.count ||
        size.byte_count > UINT32_MAX - 1 - index->arena.count ||
        size.group_count > UINT32_MAX - 1 - index->groups.count ||
        size.client_count > UINT32_MAX - 1 - index->clients.count) {
        return luaL_error(L, "the match index is full: it holds at most 2^32 members, "
                             "phrases, words and bytes of phrases");
    }

    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "match_index.add", size.byte_count);
    halyard_lua_meter_charge(&meter, 1 + size.phrase_count + size.word_count +
                                         size.byte_count / MATCH_BYTES_PER_STEP +
                                         size.client_count);

    /* Room for everything: the only step that allocates. */
    match_reserve(L, 1, &index->arena, MATCH_ARENA, 1, size.byte_count);
    match_reserve(L, 1, &index->words, MATCH_WORDS, sizeof(match_word), size.word_count);
    match_reserve(L, 1, &index->phrases, MATCH_PHRASES, sizeof(match_phrase), size.phrase_count);
    match_reserve(L, 1, &index->members, MATCH_MEMBERS, sizeof(match_member), 1);
    match_reserve(L, 1, &index->clients, MATCH_CLIENTS, sizeof(lua_Integer), size.client_count);
    match_reserve(L, 1, &index->heads, MATCH_HEADS, sizeof(uint64_t), size.map_keys[3]);
    match_reserve(L, 1, &index->hits, MATCH_HITS, sizeof(match_hit), size.phrase_count);
    match_reserve(L, 1, &index->groups, MATCH_GROUPS, sizeof(uint32_t), size.group_count);
    match_reserve(L, 1, &index->candidates, MATCH_CANDIDATES, sizeof(uint32_t),
                  index->members.count + 1 - index->candidates.count);
    match_reserve(L, 1, &index->matched, MATCH_MATCHED, sizeof(match_result),
                  index->members.count + 1 - index->matched.count);
    match_map_reserve(L, 1, &index->exact, size.map_keys[0]);
    match_map_reserve(L, 1, &index->pair, size.map_keys[1]);
    match_map_reserve(L, 1, &index->prefix, size.map_keys[2]);
    match_map_reserve(L, 1, &index->head, size.map_keys[3]);

    /* Write the records past the counts. The tables of keys and texts may grow here and raise
     * a memory error, which leaves the index as it was because the counts have not moved. */
    uint32_t member_number = (uint32_t)index->members.count;
    lua_pushvalue(L, 2);
    lua_rawseti(L, keys, (lua_Integer)member_number + 1);
    match_rules_size written;
    match_read_rules(L, 3, texts, &written, index, member_number);

    match_member *member = (match_member *)index->members.data + member_number;
    memset(member, 0, sizeof *member);
    member->order = order;
    member->first_phrase = (uint32_t)index->phrases.count;
    member->phrase_count = (uint32_t)size.phrase_count;
    member->first_group = (uint32_t)index->groups.count;
    member->group_count = (uint32_t)size.group_count;
    member->fields = size.fields;
    member->every_client = lua_isnil(L, 5);
    member->first_client = (uint32_t)index->clients.count;
    member->client_count = (uint32_t)size.client_count;
    for (size_t i = 0; i < size.phrase_count; i++) {
        const match_phrase *phrase = (match_phrase *)index->phrases.data + index->phrases.count + i;
        member->any_count += phrase->kind == MATCH_ANY;
    }
    if (workflow.is_workflow) {
        written.byte_count +=
            match_write_workflow_json(index, written.byte_count, &workflow, member);
    }
    written.client_count = size.client_count;
    if (size.client_count > 0) {
        lua_Integer *ids = (lua_Integer *)index->clients.data + index->clients.count;
        match_read_clients(L, 5, ids);
        qsort(ids, size.client_count, sizeof *ids, match_compare_clients);
    }

    match_commit(index, &written, member_number);
    index->candidates.count = index->members.count;
    index->matched.count = index->members.count;
    halyard_lua_meter_end(&meter);
    return 0;
}
