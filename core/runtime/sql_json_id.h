#ifndef HALYARD_SQL_JSON_ID_H
#define HALYARD_SQL_JSON_ID_H

/* HALYARD_SQL_JSON_ID(x, path) is an SQL expression for a HaloPSA id or type code read from
 * JSON: the value at path (an SQL string literal such as "'$.who_type'") of the JSON text x, as
 * an integer. HaloPSA writes some ids as strings or decimals, so 2, "2" and 2.0 all give 2, and
 * every comparison of such a field must go through this expression rather than json_extract,
 * which keeps "2" as text that never equals 2. A string that is not 1 to 18 digits, a
 * fraction, an escaped string, any other type or a missing field gives NULL.
 *
 * The delivery writer's SQL function halyard_ticket_id reads webhook ticket ids the same way,
 * but it is registered on the writer's connection only, while this expression works on any. */
// clang-format off
#define HALYARD_SQL_JSON_VALUE(x, path) "json_extract(" x ", " path ")"
#define HALYARD_SQL_JSON_ID(x, path)                                                               \
    "(CASE json_type(" x ", " path ")"                                                             \
    " WHEN 'integer' THEN " HALYARD_SQL_JSON_VALUE(x, path)                                        \
    " WHEN 'real' THEN CASE WHEN " HALYARD_SQL_JSON_VALUE(x, path) " = CAST("                      \
        HALYARD_SQL_JSON_VALUE(x, path) " AS INTEGER)"                                             \
    "   THEN CAST(" HALYARD_SQL_JSON_VALUE(x, path) " AS INTEGER) END"                             \
    " WHEN 'text' THEN CASE WHEN " HALYARD_SQL_JSON_VALUE(x, path) " GLOB '[0-9]*'"               \
    "   AND " HALYARD_SQL_JSON_VALUE(x, path) " NOT GLOB '*[^0-9]*'"                               \
    "   AND length(" HALYARD_SQL_JSON_VALUE(x, path) ") <= 18"                                     \
    "   AND instr(" x " -> " path ", '\\') = 0"                                                    \
    "   THEN CAST(" HALYARD_SQL_JSON_VALUE(x, path) " AS INTEGER) END"                             \
    " END)"
// clang-format on

#endif
