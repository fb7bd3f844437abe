#ifndef HALYARD_BINDINGS_MATCH_INDEX_PRIVATE_H
#define HALYARD_BINDINGS_MATCH_INDEX_PRIVATE_H

/* What the files of the `match_index` module share (match_index.c: tokens, scanning and
 * deciding; match_rules.c: filing compiled rules; match_output.c: reasons and JSON). Nothing
 * outside bindings/ includes this. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>
#include <lua.h>

#define MATCH_INDEX_TYPE  "halyard.match_index"
#define MATCH_TOKENS_TYPE "halyard.match_tokens"

/* Points a phrase found in the summary counts for; other fields count 1. */
#define MATCH_SUMMARY_WEIGHT 2

/* A prefix ("print*") of at least this many bytes is filed by its first bytes, its head, so a
 * ticket word tries only the lengths of the prefixes that share its head. Shorter prefixes
 * are tried on every word. */
#define MATCH_HEAD_LENGTH 3

/* A head's lengths are the bits of a 64-bit mask. A prefix of 64 bytes or more sets bit 0,
 * and its words are then tried at every length from 64 to the longest prefix. */
#define MATCH_MASK_LENGTHS 64

/* Bytes of linear work that count as one step of the instruction budget, as in text.c. */
#define MATCH_BYTES_PER_STEP 16

/* The text fields in the order they are scanned: a phrase's reason names the first of them
 * where the phrase occurs. */
enum { MATCH_SUMMARY, MATCH_DETAILS, MATCH_NOTES, MATCH_FIELD_COUNT };
extern const char *const halyard_match_field_names[MATCH_FIELD_COUNT];

/* The rules a phrase is listed under; halyard_match_kind_names ends with NULL. */
enum { MATCH_ANY, MATCH_ALL, MATCH_NONE };
extern const char *const halyard_match_kind_names[];

/* The index userdata's user values: two Lua tables, then one block per growable array. */
enum {
    MATCH_KEYS = 1, /* member number + 1 -> key */
    MATCH_TEXTS,    /* phrase number + 1 -> the phrase as written */
    MATCH_ARENA,
    MATCH_WORDS,
    MATCH_PHRASES,
    MATCH_MEMBERS,
    MATCH_CLIENTS,
    MATCH_HEADS,
    MATCH_HITS,
    MATCH_GROUPS,
    MATCH_CANDIDATES,
    MATCH_MATCHED,
    MATCH_EXACT_SLOTS,
    MATCH_PAIR_SLOTS,
    MATCH_PREFIX_SLOTS,
    MATCH_HEAD_SLOTS,
    MATCH_USER_VALUE_COUNT = MATCH_HEAD_SLOTS
};

/*
 * A growable array. Its block is a full userdata held by one of the index's user values, so
 * the state's allocator provides it (and its memory limit holds) and the collector frees it
 * with the index. Growing makes a new block and drops the old one, and the collector never
 * moves a block, so data stays valid until the array grows.
 */
typedef struct {
    void *data;
    size_t count;
    size_t capacity;
} match_array;

/* One word of a rule phrase: its text in the arena, and whether it matches every word it
 * starts (a word written "print*"). */
typedef struct {
    uint32_t offset;
    uint32_t length;
    uint32_t prefix;
} match_word;

typedef struct {
    uint32_t member;
    uint32_t first_word;
    uint32_t word_count;
    uint32_t kind;
    /* The group of an "all" phrase, from 0 within its member. */
    uint32_t group;
    /* The next phrase filed under the same map key, plus 1; 0 ends the list. */
    uint32_t next;
    /* The phrase as a reason quotes it (Lua's %q), escaped for a JSON string, in the arena. */
    uint32_t quoted_offset;
    uint32_t quoted_length;
} match_phrase;

/* A rule set: its phrases and "all" groups are consecutive runs of the index's arrays. */
typedef struct {
    lua_Integer order;
    uint32_t first_phrase;
    uint32_t phrase_count;
    uint32_t first_group;
    uint32_t group_count;
    uint32_t any_count;
    uint32_t first_client;
    uint32_t client_count;
    /* Bit 1 << field for each field the rules read. */
    uint32_t fields;
    uint32_t every_client;

    /* With is_workflow (a key with a string name and file when it was added), the JSON that
     * index:run_json writes before a match's reasons, {"file":"<file>","reasons":[, and after
     * its score, ,"workflow":"<name>"}, in the arena. */
    uint32_t is_workflow;
    uint32_t json_head_offset;
    uint32_t json_head_length;
    uint32_t json_tail_offset;
    uint32_t json_tail_length;
    /* The last scan that hit this member, and whether that scan's filter takes it. */
    uint32_t seen;
    uint32_t accepted;

    /* What that scan found, counted as each phrase is first found: the "any" phrases, the
     * "all" groups with a phrase, whether an exclusion hit, and the score of the phrases that
     * are not exclusions. They decide the member without a pass over its phrases. */
    uint32_t any_found;
    uint32_t groups_found;
    uint32_t excluded;
    lua_Integer score;
} match_member;

/* Where a phrase was first found in the scan numbered scan. */
typedef struct {
    uint32_t scan;
    uint32_t field;
} match_hit;

typedef struct {
    lua_Integer score;
    lua_Integer order;
    uint32_t member;
} match_result;

/* A slot of an open-addressing hash map from a byte string in the arena to a value; value 0
 * marks an empty slot. A map's capacity is a power of two, at least twice its count. */
typedef struct {
    uint32_t hash;
    uint32_t key_offset;
    uint32_t key_length;
    uint32_t value;
} match_slot;

typedef struct {
    match_array slots;
    int user_value;
} match_map;

typedef struct {
    match_array arena; /* char: each phrase's words joined by single spaces */
    match_array words; /* match_word */
    match_array phrases;
    match_array members;
    match_array clients; /* lua_Integer: each scoped member's client ids, sorted */
    match_array heads;   /* uint64_t: the prefix lengths of one head, as bits */
    match_array hits;    /* match_hit: one per phrase */
    match_array groups;  /* uint32_t: per "all" group, the last scan that found a phrase of it */
    match_array candidates;
    match_array matched; /* match_result */

    /* Phrases by their first words: exact and prefix by the first word, pair by the first
     * two when both are whole words, so a common first word does not try every phrase it
     * starts. head maps a prefix's head to its position in heads, plus 1. */
    match_map exact;
    match_map pair;
    match_map prefix;
    match_map head;

    /* Bit n is set when a prefix of n < MATCH_HEAD_LENGTH bytes exists. */
    uint32_t short_lengths;
    size_t longest_prefix;

    /* Numbers scans, so the hits and stamps of older scans need no clearing.
     * NOTE: a run is not reentrant. A finalizer that matched while a run builds its result
     * tables would overwrite the hits those tables are built from; the host lets no script set
     * a finalizer (__gc), and halyard's modules set none. */
    uint32_t scan;
} match_index;

/* The hash of no bytes. The hash is FNV-1a: short keys, a multiply per byte, and bytes taken
 * in order, so the hash of a prefix is a step towards the hash of the whole key. */
#define MATCH_HASH_START 2166136261u

/* Returns the hash of the bytes that follow those hash was computed over. */
static inline uint32_t match_hash_more(uint32_t hash, const char *bytes, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        hash ^= (unsigned char)bytes[i];
        hash *= 16777619u;
    }
    return hash;
}

static inline uint32_t match_hash(const char *bytes, size_t length)
{
    return match_hash_more(MATCH_HASH_START, bytes, length);
}

/* Returns the slot of key in map: the one holding it, else the empty slot where it belongs.
 * The map must have a capacity. */
static inline match_slot *match_map_slot(const match_index *index, const match_map *map,
                                         const char *key, size_t length, uint32_t hash)
{
    match_slot *slots = map->slots.data;
    const char *arena = index->arena.data;
    size_t mask = map->slots.capacity - 1;

    /* The map is at most half full, so an empty slot ends every probe. */
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
        match_slot *slot = &slots[i];
        if (slot->value == 0 || (slot->hash == hash && slot->key_length == length &&
                                 memcmp(arena + slot->key_offset, key, length) == 0)) {
            return slot;
        }
    }
}

/* Returns the value of key, whose hash is hash, in map, or 0 when it is not there. */
static inline uint32_t match_map_find(const match_index *index, const match_map *map,
                                      const char *key, size_t length, uint32_t hash)
{
    if (map->slots.count == 0) {
        return 0;
    }
    return match_map_slot(index, map, key, length, hash)->value;
}

/* Pushes table[name] without metamethods and returns its type. Stack: [] -> [value]. */
static inline int match_raw_field(lua_State *L, int table, const char *name)
{
    table = lua_absindex(L, table);
    lua_pushstring(L, name);
    return lua_rawget(L, table);
}

/* Orders client ids (lua_Integer) for qsort and bsearch. */
static inline int match_compare_clients(const void *left, const void *right)
{
    lua_Integer a = *(const lua_Integer *)left;
    lua_Integer b = *(const lua_Integer *)right;
    return (a > b) - (a < b);
}

/* index:add (match_rules.c). */
int halyard_match_index_add(lua_State *L);

/* match_index.describe and match_index.encode_matches (match_output.c). */
int halyard_match_describe(lua_State *L);
int halyard_match_encode_matches(lua_State *L);

#endif
