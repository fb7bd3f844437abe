/* memmem, a linear search in glibc and the BSDs. */
#define _GNU_SOURCE

#include "lua_text.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <lauxlib.h>
#include <sodium.h>

#include "lua_meter.h"

/* Bytes of linear work (normalising, searching) that count as one step of the instruction
 * budget: a byte costs far less than a Lua instruction. An estimate, not a measurement. */
#define TEXT_BYTES_PER_STEP 16

/* A word inside a normalised text. */
typedef struct {
    const char *start;
    size_t length;
} text_word;

/* True for the bytes a word is made of: ASCII letters and digits, and every byte of a UTF-8
 * character that text_fold_character keeps (so "日本" stays one word). */
static int text_is_word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* What text_fold_character makes of one UTF-8 character. */
typedef enum {
    TEXT_FOLD_KEEP,    /* not folded: its first byte is read as a word byte */
    TEXT_FOLD_DROP,    /* removed, joining the text on its two sides */
    TEXT_FOLD_SPACE,   /* a space */
    TEXT_FOLD_LETTERS, /* the ASCII text in letters */
} text_fold_kind;

typedef struct {
    text_fold_kind kind;
    size_t consumed; /* the bytes of the character, for DROP, SPACE and LETTERS */
    const char *letters;
    size_t letters_length;
} text_fold;

/* The base letters of U+00C0 to U+017F by code point - 0xC0 ("é" is "e", "Œ" is "OE"). The
 * multiplication and division signs have NULL and are kept. */
/* clang-format off */
static const char *const text_base_letters[192] = {
    "A", "A", "A", "A", "A", "A", "AE", "C", "E", "E", "E", "E", "I", "I", "I", "I", /* U+00C0 */
    "D", "N", "O", "O", "O", "O", "O", NULL, "O", "U", "U", "U", "U", "Y", "TH", "ss", /* U+00D0 */
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i", /* U+00E0 */
    "d", "n", "o", "o", "o", "o", "o", NULL, "o", "u", "u", "u", "u", "y", "th", "y", /* U+00F0 */
    "A", "a", "A", "a", "A", "a", "C", "c", "C", "c", "C", "c", "C", "c", "D", "d", /* U+0100 */
    "D", "d", "E", "e", "E", "e", "E", "e", "E", "e", "E", "e", "G", "g", "G", "g", /* U+0110 */
    "G", "g", "G", "g", "H", "h", "H", "h", "I", "i", "I", "i", "I", "i", "I", "i", /* U+0120 */
    "I", "i", "IJ", "ij", "J", "j", "K", "k", "k", "L", "l", "L", "l", "L", "l", "L", /* U+0130 */
    "l", "L", "l", "N", "n", "N", "n", "N", "n", "n", "NG", "ng", "O", "o", "O", "o", /* U+0140 */
    "O", "o", "OE", "oe", "R", "r", "R", "r", "R", "r", "S", "s", "S", "s", "S", "s", /* U+0150 */
    "S", "s", "T", "t", "T", "t", "T", "t", "U", "u", "U", "u", "U", "u", "U", "u", /* U+0160 */
    "U", "u", "U", "u", "W", "w", "Y", "y", "Y", "Z", "z", "Z", "z", "Z", "z", "s", /* U+0170 */
};
/* clang-format on */

/* A character drawn in another shape that a reader takes for a plain letter or digit, and what
 * it folds to. */
typedef struct {
    unsigned code;
    const char *letters;
} text_look_alike;

/*
 * The look-alikes, sorted by code point. They are the sets "fancy text" generators use: small
 * capitals, superscript and subscript letters and digits, letterlike symbols, Roman numerals,
 * parenthesised and circled digits, parenthesised, squared and negative circled or squared
 * letters, regional indicator letters and the dotless mathematical i and j. Then come the
 * letters of other scripts that look Latin. These are Latin letters with a hook, stroke or other
 * mark outside U+00C0 to U+017F ("ƒ", "ẘ"), Cyrillic, Greek and Coptic letters, Lisu, Cherokee
 * and Armenian letters, the Canadian syllabics of fancy-text sets and the Georgian "ყ". The
 * sensitive policy folds its reading with the same table (LOOK_ALIKE_TEXT in
 * config/policies/sensitive.lua), and tests/lua/test_lua_text.c checks that the two agree.
 */
/* clang-format off */
static const text_look_alike text_look_alikes[] = {
    {0x00B2, "2"}, {0x00B3, "3"}, {0x00B9, "1"}, {0x0180, "b"}, {0x0181, "B"}, {0x0182, "B"},
    {0x0183, "b"}, {0x0187, "C"}, {0x0188, "c"}, {0x0189, "D"}, {0x018A, "D"}, {0x018B, "D"},
    {0x018C, "d"}, {0x0190, "E"}, {0x0191, "F"}, {0x0192, "f"}, {0x0193, "G"}, {0x0196, "I"},
    {0x0197, "I"}, {0x0198, "K"}, {0x0199, "k"}, {0x019A, "l"}, {0x019D, "N"}, {0x019E, "n"},
    {0x019F, "O"}, {0x01A0, "O"}, {0x01A1, "o"}, {0x01A4, "P"}, {0x01A5, "p"}, {0x01AB, "t"},
    {0x01AC, "T"}, {0x01AD, "t"}, {0x01AE, "T"}, {0x01AF, "U"}, {0x01B0, "u"}, {0x01B2, "V"},
    {0x01B3, "Y"}, {0x01B4, "y"}, {0x01B5, "Z"}, {0x01B6, "z"}, {0x01C4, "DZ"}, {0x01C5, "Dz"},
    {0x01C6, "dz"}, {0x01C7, "LJ"}, {0x01C8, "Lj"}, {0x01C9, "lj"}, {0x01CA, "NJ"}, {0x01CB, "Nj"},
    {0x01CC, "nj"}, {0x01CD, "A"}, {0x01CE, "a"}, {0x01CF, "I"}, {0x01D0, "i"}, {0x01D1, "O"},
    {0x01D2, "o"}, {0x01D3, "U"}, {0x01D4, "u"}, {0x01D5, "U"}, {0x01D6, "u"}, {0x01D7, "U"},
    {0x01D8, "u"}, {0x01D9, "U"}, {0x01DA, "u"}, {0x01DB, "U"}, {0x01DC, "u"}, {0x01DE, "A"},
    {0x01DF, "a"}, {0x01E0, "A"}, {0x01E1, "a"}, {0x01E2, "AE"}, {0x01E3, "ae"}, {0x01E4, "G"},
    {0x01E5, "g"}, {0x01E6, "G"}, {0x01E7, "g"}, {0x01E8, "K"}, {0x01E9, "k"}, {0x01EA, "O"},
    {0x01EB, "o"}, {0x01EC, "O"}, {0x01ED, "o"}, {0x01F0, "j"}, {0x01F1, "DZ"}, {0x01F2, "Dz"},
    {0x01F3, "dz"}, {0x01F4, "G"}, {0x01F5, "g"}, {0x01F8, "N"}, {0x01F9, "n"}, {0x01FA, "A"},
    {0x01FB, "a"}, {0x01FC, "AE"}, {0x01FD, "ae"}, {0x01FE, "O"}, {0x01FF, "o"}, {0x0200, "A"},
    {0x0201, "a"}, {0x0202, "A"}, {0x0203, "a"}, {0x0204, "E"}, {0x0205, "e"}, {0x0206, "E"},
    {0x0207, "e"}, {0x0208, "I"}, {0x0209, "i"}, {0x020A, "I"}, {0x020B, "i"}, {0x020C, "O"},
    {0x020D, "o"}, {0x020E, "O"}, {0x020F, "o"}, {0x0210, "R"}, {0x0211, "r"}, {0x0212, "R"},
    {0x0213, "r"}, {0x0214, "U"}, {0x0215, "u"}, {0x0216, "U"}, {0x0217, "u"}, {0x0218, "S"},
    {0x0219, "s"}, {0x021A, "T"}, {0x021B, "t"}, {0x021E, "H"}, {0x021F, "h"}, {0x0220, "N"},
    {0x0221, "d"}, {0x0224, "Z"}, {0x0225, "z"}, {0x0226, "A"}, {0x0227, "a"}, {0x0228, "E"},
    {0x0229, "e"}, {0x022A, "O"}, {0x022B, "o"}, {0x022C, "O"}, {0x022D, "o"}, {0x022E, "O"},
    {0x022F, "o"}, {0x0230, "O"}, {0x0231, "o"}, {0x0232, "Y"}, {0x0233, "y"}, {0x0234, "l"},
    {0x0235, "n"}, {0x0236, "t"}, {0x0237, "j"}, {0x023A, "A"}, {0x023B, "C"}, {0x023C, "c"},
    {0x023D, "L"}, {0x023E, "T"}, {0x023F, "s"}, {0x0240, "z"}, {0x0243, "B"}, {0x0246, "E"},
    {0x0247, "e"}, {0x0248, "J"}, {0x0249, "j"}, {0x024B, "q"}, {0x024C, "R"}, {0x024D, "r"},
    {0x024E, "Y"}, {0x024F, "y"}, {0x0251, "a"}, {0x0253, "b"}, {0x0255, "c"}, {0x0256, "d"},
    {0x0257, "d"}, {0x025B, "e"}, {0x0260, "g"}, {0x0261, "g"}, {0x0262, "g"}, {0x0266, "h"},
    {0x0268, "i"}, {0x0269, "i"}, {0x026A, "i"}, {0x026B, "l"}, {0x026C, "l"}, {0x026D, "l"},
    {0x0271, "m"}, {0x0272, "n"}, {0x0273, "n"}, {0x0274, "n"}, {0x0275, "o"}, {0x027C, "r"},
    {0x027D, "r"}, {0x027E, "r"}, {0x0280, "r"}, {0x0282, "s"}, {0x0288, "t"}, {0x0289, "u"},
    {0x028B, "v"}, {0x028F, "y"}, {0x0290, "z"}, {0x0291, "z"}, {0x0299, "b"}, {0x029C, "h"},
    {0x029D, "j"}, {0x029F, "l"}, {0x02A0, "q"}, {0x02B0, "h"}, {0x02B2, "j"}, {0x02B3, "r"},
    {0x02B7, "w"}, {0x02B8, "y"}, {0x02E1, "l"}, {0x02E2, "s"}, {0x02E3, "x"}, {0x037F, "J"},
    {0x0386, "A"}, {0x0388, "E"}, {0x0389, "H"}, {0x038A, "I"}, {0x038C, "O"}, {0x038E, "Y"},
    {0x0390, "i"}, {0x0391, "A"}, {0x0392, "B"}, {0x0395, "E"}, {0x0396, "Z"}, {0x0397, "H"},
    {0x0399, "I"}, {0x039A, "K"}, {0x039C, "M"}, {0x039D, "N"}, {0x039F, "O"}, {0x03A1, "P"},
    {0x03A4, "T"}, {0x03A5, "Y"}, {0x03A7, "X"}, {0x03AA, "I"}, {0x03AB, "Y"}, {0x03AC, "a"},
    {0x03AD, "e"}, {0x03AE, "n"}, {0x03AF, "i"}, {0x03B0, "u"}, {0x03B1, "a"}, {0x03B3, "y"},
    {0x03B5, "e"}, {0x03B7, "n"}, {0x03B9, "i"}, {0x03BA, "k"}, {0x03BD, "v"}, {0x03BF, "o"},
    {0x03C1, "p"}, {0x03C2, "s"}, {0x03C5, "u"}, {0x03C7, "x"}, {0x03C9, "w"}, {0x03CA, "i"},
    {0x03CB, "u"}, {0x03CC, "o"}, {0x03CD, "u"}, {0x03CE, "w"}, {0x03D2, "Y"}, {0x03D3, "Y"},
    {0x03D4, "Y"}, {0x03DC, "F"}, {0x03F0, "k"}, {0x03F1, "p"}, {0x03F2, "c"}, {0x03F3, "j"},
    {0x03F5, "e"}, {0x03F9, "C"}, {0x03FA, "M"}, {0x0405, "S"}, {0x0406, "I"}, {0x0408, "J"},
    {0x0410, "A"}, {0x0412, "B"}, {0x0415, "E"}, {0x041A, "K"}, {0x041C, "M"}, {0x041D, "H"},
    {0x041E, "O"}, {0x0420, "P"}, {0x0421, "C"}, {0x0422, "T"}, {0x0425, "X"}, {0x0430, "a"},
    {0x0435, "e"}, {0x043E, "o"}, {0x0440, "p"}, {0x0441, "c"}, {0x0443, "y"}, {0x0445, "x"},
    {0x0455, "s"}, {0x0456, "i"}, {0x0458, "j"}, {0x0474, "V"}, {0x0475, "v"}, {0x0493, "f"},
    {0x04A1, "k"}, {0x04AF, "y"}, {0x04BB, "h"}, {0x04C0, "I"}, {0x04CF, "l"}, {0x0501, "d"},
    {0x051A, "Q"}, {0x051B, "q"}, {0x051C, "W"}, {0x051D, "w"}, {0x054D, "U"}, {0x054F, "S"},
    {0x0555, "O"}, {0x0566, "q"}, {0x0570, "h"}, {0x0575, "j"}, {0x0578, "n"}, {0x057D, "u"},
    {0x0581, "g"}, {0x0585, "o"}, {0x10E7, "y"}, {0x13A0, "D"}, {0x13A1, "R"}, {0x13A2, "T"},
    {0x13A5, "i"}, {0x13A9, "Y"}, {0x13AA, "A"}, {0x13AB, "J"}, {0x13AC, "E"}, {0x13B3, "W"},
    {0x13B7, "M"}, {0x13BB, "H"}, {0x13C0, "G"}, {0x13C2, "h"}, {0x13C3, "Z"}, {0x13CF, "b"},
    {0x13D2, "R"}, {0x13D5, "S"}, {0x13D9, "V"}, {0x13DA, "S"}, {0x13DE, "L"}, {0x13DF, "C"},
    {0x13E2, "P"}, {0x13E6, "K"}, {0x13E7, "d"}, {0x13F3, "G"}, {0x13F4, "B"}, {0x13FB, "g"},
    {0x13FC, "b"}, {0x142F, "V"}, {0x144C, "U"}, {0x144E, "N"}, {0x1455, "C"}, {0x146B, "q"},
    {0x146D, "P"}, {0x146F, "d"}, {0x1472, "b"}, {0x148D, "J"}, {0x14AA, "L"}, {0x1515, "S"},
    {0x1541, "x"}, {0x157C, "H"}, {0x1587, "R"}, {0x15B4, "F"}, {0x15C5, "A"}, {0x15DE, "D"},
    {0x15E9, "A"}, {0x15EA, "D"}, {0x15EF, "W"}, {0x15F0, "M"}, {0x15F4, "E"}, {0x15F7, "B"},
    {0x161C, "G"}, {0x166D, "X"}, {0x1D00, "a"}, {0x1D01, "ae"}, {0x1D03, "b"}, {0x1D04, "c"},
    {0x1D05, "d"}, {0x1D06, "d"}, {0x1D07, "e"}, {0x1D0A, "j"}, {0x1D0B, "k"}, {0x1D0C, "l"},
    {0x1D0D, "m"}, {0x1D0E, "n"}, {0x1D0F, "o"}, {0x1D11, "o"}, {0x1D18, "p"}, {0x1D19, "r"},
    {0x1D1A, "r"}, {0x1D1B, "t"}, {0x1D1C, "u"}, {0x1D20, "v"}, {0x1D21, "w"}, {0x1D22, "z"},
    {0x1D2C, "A"}, {0x1D2D, "AE"}, {0x1D2E, "B"}, {0x1D30, "D"}, {0x1D31, "E"}, {0x1D33, "G"},
    {0x1D34, "H"}, {0x1D35, "I"}, {0x1D36, "J"}, {0x1D37, "K"}, {0x1D38, "L"}, {0x1D39, "M"},
    {0x1D3A, "N"}, {0x1D3C, "O"}, {0x1D3E, "P"}, {0x1D3F, "R"}, {0x1D40, "T"}, {0x1D41, "U"},
    {0x1D42, "W"}, {0x1D43, "a"}, {0x1D47, "b"}, {0x1D48, "d"}, {0x1D49, "e"}, {0x1D4D, "g"},
    {0x1D4F, "k"}, {0x1D50, "m"}, {0x1D52, "o"}, {0x1D56, "p"}, {0x1D57, "t"}, {0x1D58, "u"},
    {0x1D5B, "v"}, {0x1D62, "i"}, {0x1D63, "r"}, {0x1D64, "u"}, {0x1D65, "v"}, {0x1D6C, "b"},
    {0x1D6D, "d"}, {0x1D6E, "f"}, {0x1D6F, "m"}, {0x1D70, "n"}, {0x1D71, "p"}, {0x1D72, "r"},
    {0x1D73, "r"}, {0x1D74, "s"}, {0x1D75, "t"}, {0x1D76, "z"}, {0x1D7A, "th"}, {0x1D7D, "p"},
    {0x1D80, "b"}, {0x1D81, "d"}, {0x1D82, "f"}, {0x1D83, "g"}, {0x1D84, "k"}, {0x1D85, "l"},
    {0x1D86, "m"}, {0x1D87, "n"}, {0x1D88, "p"}, {0x1D89, "r"}, {0x1D8A, "s"}, {0x1D8C, "v"},
    {0x1D8D, "x"}, {0x1D8E, "z"}, {0x1D8F, "a"}, {0x1D91, "d"}, {0x1D92, "e"}, {0x1D96, "i"},
    {0x1D99, "u"}, {0x1D9C, "c"}, {0x1DA0, "f"}, {0x1DBB, "z"}, {0x1E00, "A"}, {0x1E01, "a"},
    {0x1E02, "B"}, {0x1E03, "b"}, {0x1E04, "B"}, {0x1E05, "b"}, {0x1E06, "B"}, {0x1E07, "b"},
    {0x1E08, "C"}, {0x1E09, "c"}, {0x1E0A, "D"}, {0x1E0B, "d"}, {0x1E0C, "D"}, {0x1E0D, "d"},
    {0x1E0E, "D"}, {0x1E0F, "d"}, {0x1E10, "D"}, {0x1E11, "d"}, {0x1E12, "D"}, {0x1E13, "d"},
    {0x1E14, "E"}, {0x1E15, "e"}, {0x1E16, "E"}, {0x1E17, "e"}, {0x1E18, "E"}, {0x1E19, "e"},
    {0x1E1A, "E"}, {0x1E1B, "e"}, {0x1E1C, "E"}, {0x1E1D, "e"}, {0x1E1E, "F"}, {0x1E1F, "f"},
    {0x1E20, "G"}, {0x1E21, "g"}, {0x1E22, "H"}, {0x1E23, "h"}, {0x1E24, "H"}, {0x1E25, "h"},
    {0x1E26, "H"}, {0x1E27, "h"}, {0x1E28, "H"}, {0x1E29, "h"}, {0x1E2A, "H"}, {0x1E2B, "h"},
    {0x1E2C, "I"}, {0x1E2D, "i"}, {0x1E2E, "I"}, {0x1E2F, "i"}, {0x1E30, "K"}, {0x1E31, "k"},
    {0x1E32, "K"}, {0x1E33, "k"}, {0x1E34, "K"}, {0x1E35, "k"}, {0x1E36, "L"}, {0x1E37, "l"},
    {0x1E38, "L"}, {0x1E39, "l"}, {0x1E3A, "L"}, {0x1E3B, "l"}, {0x1E3C, "L"}, {0x1E3D, "l"},
    {0x1E3E, "M"}, {0x1E3F, "m"}, {0x1E40, "M"}, {0x1E41, "m"}, {0x1E42, "M"}, {0x1E43, "m"},
    {0x1E44, "N"}, {0x1E45, "n"}, {0x1E46, "N"}, {0x1E47, "n"}, {0x1E48, "N"}, {0x1E49, "n"},
    {0x1E4A, "N"}, {0x1E4B, "n"}, {0x1E4C, "O"}, {0x1E4D, "o"}, {0x1E4E, "O"}, {0x1E4F, "o"},
    {0x1E50, "O"}, {0x1E51, "o"}, {0x1E52, "O"}, {0x1E53, "o"}, {0x1E54, "P"}, {0x1E55, "p"},
    {0x1E56, "P"}, {0x1E57, "p"}, {0x1E58, "R"}, {0x1E59, "r"}, {0x1E5A, "R"}, {0x1E5B, "r"},
    {0x1E5C, "R"}, {0x1E5D, "r"}, {0x1E5E, "R"}, {0x1E5F, "r"}, {0x1E60, "S"}, {0x1E61, "s"},
    {0x1E62, "S"}, {0x1E63, "s"}, {0x1E64, "S"}, {0x1E65, "s"}, {0x1E66, "S"}, {0x1E67, "s"},
    {0x1E68, "S"}, {0x1E69, "s"}, {0x1E6A, "T"}, {0x1E6B, "t"}, {0x1E6C, "T"}, {0x1E6D, "t"},
    {0x1E6E, "T"}, {0x1E6F, "t"}, {0x1E70, "T"}, {0x1E71, "t"}, {0x1E72, "U"}, {0x1E73, "u"},
    {0x1E74, "U"}, {0x1E75, "u"}, {0x1E76, "U"}, {0x1E77, "u"}, {0x1E78, "U"}, {0x1E79, "u"},
    {0x1E7A, "U"}, {0x1E7B, "u"}, {0x1E7C, "V"}, {0x1E7D, "v"}, {0x1E7E, "V"}, {0x1E7F, "v"},
    {0x1E80, "W"}, {0x1E81, "w"}, {0x1E82, "W"}, {0x1E83, "w"}, {0x1E84, "W"}, {0x1E85, "w"},
    {0x1E86, "W"}, {0x1E87, "w"}, {0x1E88, "W"}, {0x1E89, "w"}, {0x1E8A, "X"}, {0x1E8B, "x"},
    {0x1E8C, "X"}, {0x1E8D, "x"}, {0x1E8E, "Y"}, {0x1E8F, "y"}, {0x1E90, "Z"}, {0x1E91, "z"},
    {0x1E92, "Z"}, {0x1E93, "z"}, {0x1E94, "Z"}, {0x1E95, "z"}, {0x1E96, "h"}, {0x1E97, "t"},
    {0x1E98, "w"}, {0x1E99, "y"}, {0x1E9A, "a"}, {0x1E9B, "s"}, {0x1EA0, "A"}, {0x1EA1, "a"},
    {0x1EA2, "A"}, {0x1EA3, "a"}, {0x1EA4, "A"}, {0x1EA5, "a"}, {0x1EA6, "A"}, {0x1EA7, "a"},
    {0x1EA8, "A"}, {0x1EA9, "a"}, {0x1EAA, "A"}, {0x1EAB, "a"}, {0x1EAC, "A"}, {0x1EAD, "a"},
    {0x1EAE, "A"}, {0x1EAF, "a"}, {0x1EB0, "A"}, {0x1EB1, "a"}, {0x1EB2, "A"}, {0x1EB3, "a"},
    {0x1EB4, "A"}, {0x1EB5, "a"}, {0x1EB6, "A"}, {0x1EB7, "a"}, {0x1EB8, "E"}, {0x1EB9, "e"},
    {0x1EBA, "E"}, {0x1EBB, "e"}, {0x1EBC, "E"}, {0x1EBD, "e"}, {0x1EBE, "E"}, {0x1EBF, "e"},
    {0x1EC0, "E"}, {0x1EC1, "e"}, {0x1EC2, "E"}, {0x1EC3, "e"}, {0x1EC4, "E"}, {0x1EC5, "e"},
    {0x1EC6, "E"}, {0x1EC7, "e"}, {0x1EC8, "I"}, {0x1EC9, "i"}, {0x1ECA, "I"}, {0x1ECB, "i"},
    {0x1ECC, "O"}, {0x1ECD, "o"}, {0x1ECE, "O"}, {0x1ECF, "o"}, {0x1ED0, "O"}, {0x1ED1, "o"},
    {0x1ED2, "O"}, {0x1ED3, "o"}, {0x1ED4, "O"}, {0x1ED5, "o"}, {0x1ED6, "O"}, {0x1ED7, "o"},
    {0x1ED8, "O"}, {0x1ED9, "o"}, {0x1EDA, "O"}, {0x1EDB, "o"}, {0x1EDC, "O"}, {0x1EDD, "o"},
    {0x1EDE, "O"}, {0x1EDF, "o"}, {0x1EE0, "O"}, {0x1EE1, "o"}, {0x1EE2, "O"}, {0x1EE3, "o"},
    {0x1EE4, "U"}, {0x1EE5, "u"}, {0x1EE6, "U"}, {0x1EE7, "u"}, {0x1EE8, "U"}, {0x1EE9, "u"},
    {0x1EEA, "U"}, {0x1EEB, "u"}, {0x1EEC, "U"}, {0x1EED, "u"}, {0x1EEE, "U"}, {0x1EEF, "u"},
    {0x1EF0, "U"}, {0x1EF1, "u"}, {0x1EF2, "Y"}, {0x1EF3, "y"}, {0x1EF4, "Y"}, {0x1EF5, "y"},
    {0x1EF6, "Y"}, {0x1EF7, "y"}, {0x1EF8, "Y"}, {0x1EF9, "y"}, {0x1EFE, "Y"}, {0x1EFF, "y"},
    {0x1F00, "a"}, {0x1F01, "a"}, {0x1F02, "a"}, {0x1F03, "a"}, {0x1F04, "a"}, {0x1F05, "a"},
    {0x1F06, "a"}, {0x1F07, "a"}, {0x1F08, "A"}, {0x1F09, "A"}, {0x1F0A, "A"}, {0x1F0B, "A"},
    {0x1F0C, "A"}, {0x1F0D, "A"}, {0x1F0E, "A"}, {0x1F0F, "A"}, {0x1F10, "e"}, {0x1F11, "e"},
    {0x1F12, "e"}, {0x1F13, "e"}, {0x1F14, "e"}, {0x1F15, "e"}, {0x1F18, "E"}, {0x1F19, "E"},
    {0x1F1A, "E"}, {0x1F1B, "E"}, {0x1F1C, "E"}, {0x1F1D, "E"}, {0x1F20, "n"}, {0x1F21, "n"},
    {0x1F22, "n"}, {0x1F23, "n"}, {0x1F24, "n"}, {0x1F25, "n"}, {0x1F26, "n"}, {0x1F27, "n"},
    {0x1F28, "H"}, {0x1F29, "H"}, {0x1F2A, "H"}, {0x1F2B, "H"}, {0x1F2C, "H"}, {0x1F2D, "H"},
    {0x1F2E, "H"}, {0x1F2F, "H"}, {0x1F30, "i"}, {0x1F31, "i"}, {0x1F32, "i"}, {0x1F33, "i"},
    {0x1F34, "i"}, {0x1F35, "i"}, {0x1F36, "i"}, {0x1F37, "i"}, {0x1F38, "I"}, {0x1F39, "I"},
    {0x1F3A, "I"}, {0x1F3B, "I"}, {0x1F3C, "I"}, {0x1F3D, "I"}, {0x1F3E, "I"}, {0x1F3F, "I"},
    {0x1F40, "o"}, {0x1F41, "o"}, {0x1F42, "o"}, {0x1F43, "o"}, {0x1F44, "o"}, {0x1F45, "o"},
    {0x1F48, "O"}, {0x1F49, "O"}, {0x1F4A, "O"}, {0x1F4B, "O"}, {0x1F4C, "O"}, {0x1F4D, "O"},
    {0x1F50, "u"}, {0x1F51, "u"}, {0x1F52, "u"}, {0x1F53, "u"}, {0x1F54, "u"}, {0x1F55, "u"},
    {0x1F56, "u"}, {0x1F57, "u"}, {0x1F59, "Y"}, {0x1F5B, "Y"}, {0x1F5D, "Y"}, {0x1F5F, "Y"},
    {0x1F60, "w"}, {0x1F61, "w"}, {0x1F62, "w"}, {0x1F63, "w"}, {0x1F64, "w"}, {0x1F65, "w"},
    {0x1F66, "w"}, {0x1F67, "w"}, {0x1F70, "a"}, {0x1F71, "a"}, {0x1F72, "e"}, {0x1F73, "e"},
    {0x1F74, "n"}, {0x1F75, "n"}, {0x1F76, "i"}, {0x1F77, "i"}, {0x1F78, "o"}, {0x1F79, "o"},
    {0x1F7A, "u"}, {0x1F7B, "u"}, {0x1F7C, "w"}, {0x1F7D, "w"}, {0x1F80, "a"}, {0x1F81, "a"},
    {0x1F82, "a"}, {0x1F83, "a"}, {0x1F84, "a"}, {0x1F85, "a"}, {0x1F86, "a"}, {0x1F87, "a"},
    {0x1F88, "A"}, {0x1F89, "A"}, {0x1F8A, "A"}, {0x1F8B, "A"}, {0x1F8C, "A"}, {0x1F8D, "A"},
    {0x1F8E, "A"}, {0x1F8F, "A"}, {0x1F90, "n"}, {0x1F91, "n"}, {0x1F92, "n"}, {0x1F93, "n"},
    {0x1F94, "n"}, {0x1F95, "n"}, {0x1F96, "n"}, {0x1F97, "n"}, {0x1F98, "H"}, {0x1F99, "H"},
    {0x1F9A, "H"}, {0x1F9B, "H"}, {0x1F9C, "H"}, {0x1F9D, "H"}, {0x1F9E, "H"}, {0x1F9F, "H"},
    {0x1FA0, "w"}, {0x1FA1, "w"}, {0x1FA2, "w"}, {0x1FA3, "w"}, {0x1FA4, "w"}, {0x1FA5, "w"},
    {0x1FA6, "w"}, {0x1FA7, "w"}, {0x1FB0, "a"}, {0x1FB1, "a"}, {0x1FB2, "a"}, {0x1FB3, "a"},
    {0x1FB4, "a"}, {0x1FB6, "a"}, {0x1FB7, "a"}, {0x1FB8, "A"}, {0x1FB9, "A"}, {0x1FBA, "A"},
    {0x1FBB, "A"}, {0x1FBC, "A"}, {0x1FBE, "i"}, {0x1FC2, "n"}, {0x1FC3, "n"}, {0x1FC4, "n"},
    {0x1FC6, "n"}, {0x1FC7, "n"}, {0x1FC8, "E"}, {0x1FC9, "E"}, {0x1FCA, "H"}, {0x1FCB, "H"},
    {0x1FCC, "H"}, {0x1FD0, "i"}, {0x1FD1, "i"}, {0x1FD2, "i"}, {0x1FD3, "i"}, {0x1FD6, "i"},
    {0x1FD7, "i"}, {0x1FD8, "I"}, {0x1FD9, "I"}, {0x1FDA, "I"}, {0x1FDB, "I"}, {0x1FE0, "u"},
    {0x1FE1, "u"}, {0x1FE2, "u"}, {0x1FE3, "u"}, {0x1FE4, "p"}, {0x1FE5, "p"}, {0x1FE6, "u"},
    {0x1FE7, "u"}, {0x1FE8, "Y"}, {0x1FE9, "Y"}, {0x1FEA, "Y"}, {0x1FEB, "Y"}, {0x1FEC, "P"},
    {0x1FF2, "w"}, {0x1FF3, "w"}, {0x1FF4, "w"}, {0x1FF6, "w"}, {0x1FF7, "w"}, {0x1FF8, "O"},
    {0x1FF9, "O"}, {0x2070, "0"}, {0x2071, "i"}, {0x2074, "4"}, {0x2075, "5"}, {0x2076, "6"},
    {0x2077, "7"}, {0x2078, "8"}, {0x2079, "9"}, {0x207F, "n"}, {0x2080, "0"}, {0x2081, "1"},
    {0x2082, "2"}, {0x2083, "3"}, {0x2084, "4"}, {0x2085, "5"}, {0x2086, "6"}, {0x2087, "7"},
    {0x2088, "8"}, {0x2089, "9"}, {0x2090, "a"}, {0x2091, "e"}, {0x2092, "o"}, {0x2093, "x"},
    {0x2095, "h"}, {0x2096, "k"}, {0x2097, "l"}, {0x2098, "m"}, {0x2099, "n"}, {0x209A, "p"},
    {0x209B, "s"}, {0x209C, "t"}, {0x2102, "C"}, {0x210A, "g"}, {0x210B, "H"}, {0x210C, "H"},
    {0x210D, "H"}, {0x210E, "h"}, {0x210F, "h"}, {0x2110, "I"}, {0x2111, "I"}, {0x2112, "L"},
    {0x2113, "l"}, {0x2115, "N"}, {0x2119, "P"}, {0x211A, "Q"}, {0x211B, "R"}, {0x211C, "R"},
    {0x211D, "R"}, {0x2124, "Z"}, {0x2128, "Z"}, {0x212A, "K"}, {0x212B, "A"}, {0x212C, "B"},
    {0x212D, "C"}, {0x212E, "e"}, {0x212F, "e"}, {0x2130, "E"}, {0x2131, "F"}, {0x2133, "M"},
    {0x2134, "o"}, {0x2139, "i"}, {0x213D, "y"}, {0x2145, "D"}, {0x2146, "d"}, {0x2147, "e"},
    {0x2148, "i"}, {0x2149, "j"}, {0x2160, "I"}, {0x2161, "II"}, {0x2162, "III"}, {0x2163, "IV"},
    {0x2164, "V"}, {0x2165, "VI"}, {0x2166, "VII"}, {0x2167, "VIII"}, {0x2168, "IX"}, {0x2169, "X"},
    {0x216A, "XI"}, {0x216B, "XII"}, {0x216C, "L"}, {0x216D, "C"}, {0x216E, "D"}, {0x216F, "M"},
    {0x2170, "i"}, {0x2171, "ii"}, {0x2172, "iii"}, {0x2173, "iv"}, {0x2174, "v"}, {0x2175, "vi"},
    {0x2176, "vii"}, {0x2177, "viii"}, {0x2178, "ix"}, {0x2179, "x"}, {0x217A, "xi"},
    {0x217B, "xii"}, {0x217C, "l"}, {0x217D, "c"}, {0x217E, "d"}, {0x217F, "m"}, {0x2460, "1"},
    {0x2461, "2"}, {0x2462, "3"}, {0x2463, "4"}, {0x2464, "5"}, {0x2465, "6"}, {0x2466, "7"},
    {0x2467, "8"}, {0x2468, "9"}, {0x2474, "1"}, {0x2475, "2"}, {0x2476, "3"}, {0x2477, "4"},
    {0x2478, "5"}, {0x2479, "6"}, {0x247A, "7"}, {0x247B, "8"}, {0x247C, "9"}, {0x2488, "1"},
    {0x2489, "2"}, {0x248A, "3"}, {0x248B, "4"}, {0x248C, "5"}, {0x248D, "6"}, {0x248E, "7"},
    {0x248F, "8"}, {0x2490, "9"}, {0x249C, "a"}, {0x249D, "b"}, {0x249E, "c"}, {0x249F, "d"},
    {0x24A0, "e"}, {0x24A1, "f"}, {0x24A2, "g"}, {0x24A3, "h"}, {0x24A4, "i"}, {0x24A5, "j"},
    {0x24A6, "k"}, {0x24A7, "l"}, {0x24A8, "m"}, {0x24A9, "n"}, {0x24AA, "o"}, {0x24AB, "p"},
    {0x24AC, "q"}, {0x24AD, "r"}, {0x24AE, "s"}, {0x24AF, "t"}, {0x24B0, "u"}, {0x24B1, "v"},
    {0x24B2, "w"}, {0x24B3, "x"}, {0x24B4, "y"}, {0x24B5, "z"}, {0x24EA, "0"}, {0x24F5, "1"},
    {0x24F6, "2"}, {0x24F7, "3"}, {0x24F8, "4"}, {0x24F9, "5"}, {0x24FA, "6"}, {0x24FB, "7"},
    {0x24FC, "8"}, {0x24FD, "9"}, {0x24FF, "0"}, {0x2776, "1"}, {0x2777, "2"}, {0x2778, "3"},
    {0x2779, "4"}, {0x277A, "5"}, {0x277B, "6"}, {0x277C, "7"}, {0x277D, "8"}, {0x277E, "9"},
    {0x2780, "1"}, {0x2781, "2"}, {0x2782, "3"}, {0x2783, "4"}, {0x2784, "5"}, {0x2785, "6"},
    {0x2786, "7"}, {0x2787, "8"}, {0x2788, "9"}, {0x278A, "1"}, {0x278B, "2"}, {0x278C, "3"},
    {0x278D, "4"}, {0x278E, "5"}, {0x278F, "6"}, {0x2790, "7"}, {0x2791, "8"}, {0x2792, "9"},
    {0x2C60, "L"}, {0x2C61, "l"}, {0x2C62, "L"}, {0x2C63, "P"}, {0x2C64, "R"}, {0x2C65, "a"},
    {0x2C66, "t"}, {0x2C67, "H"}, {0x2C68, "h"}, {0x2C69, "K"}, {0x2C6A, "k"}, {0x2C6B, "Z"},
    {0x2C6C, "z"}, {0x2C6E, "M"}, {0x2C71, "v"}, {0x2C72, "W"}, {0x2C73, "w"}, {0x2C74, "v"},
    {0x2C78, "e"}, {0x2C7A, "o"}, {0x2C7C, "j"}, {0x2C7D, "V"}, {0x2C7E, "S"}, {0x2C7F, "Z"},
    {0x2C80, "A"}, {0x2C81, "a"}, {0x2C82, "B"}, {0x2C88, "E"}, {0x2C89, "e"}, {0x2C8C, "Z"},
    {0x2C8E, "H"}, {0x2C92, "I"}, {0x2C93, "i"}, {0x2C94, "K"}, {0x2C95, "k"}, {0x2C98, "M"},
    {0x2C9A, "N"}, {0x2C9E, "O"}, {0x2C9F, "o"}, {0x2CA2, "P"}, {0x2CA3, "p"}, {0x2CA4, "C"},
    {0x2CA5, "c"}, {0x2CA6, "T"}, {0x2CA8, "Y"}, {0x2CAC, "X"}, {0x2CAD, "x"}, {0xA4D0, "B"},
    {0xA4D1, "P"}, {0xA4D2, "d"}, {0xA4D3, "D"}, {0xA4D4, "T"}, {0xA4D6, "G"}, {0xA4D7, "K"},
    {0xA4D9, "J"}, {0xA4DA, "C"}, {0xA4DC, "Z"}, {0xA4DD, "F"}, {0xA4DF, "M"}, {0xA4E0, "N"},
    {0xA4E1, "L"}, {0xA4E2, "S"}, {0xA4E3, "R"}, {0xA4E6, "V"}, {0xA4E7, "H"}, {0xA4EA, "W"},
    {0xA4EB, "X"}, {0xA4EC, "Y"}, {0xA4EE, "A"}, {0xA4F0, "E"}, {0xA4F2, "I"}, {0xA4F3, "O"},
    {0xA4F4, "U"}, {0xA730, "f"}, {0xA731, "s"}, {0xA73A, "AV"}, {0xA73B, "av"}, {0xA740, "K"},
    {0xA741, "k"}, {0xA742, "K"}, {0xA743, "k"}, {0xA744, "K"}, {0xA745, "k"}, {0xA748, "L"},
    {0xA749, "l"}, {0xA74A, "O"}, {0xA74B, "o"}, {0xA74C, "O"}, {0xA74D, "o"}, {0xA750, "P"},
    {0xA751, "p"}, {0xA752, "P"}, {0xA753, "p"}, {0xA754, "P"}, {0xA755, "p"}, {0xA756, "Q"},
    {0xA757, "q"}, {0xA758, "Q"}, {0xA759, "q"}, {0xA75E, "V"}, {0xA75F, "v"}, {0xA78E, "l"},
    {0xA790, "N"}, {0xA791, "n"}, {0xA792, "C"}, {0xA793, "c"}, {0xA794, "c"}, {0xA795, "h"},
    {0xA796, "B"}, {0xA797, "b"}, {0xA798, "F"}, {0xA799, "f"}, {0xA7A0, "G"}, {0xA7A1, "g"},
    {0xA7A2, "K"}, {0xA7A3, "k"}, {0xA7A4, "N"}, {0xA7A5, "n"}, {0xA7A6, "R"}, {0xA7A7, "r"},
    {0xA7A8, "S"}, {0xA7A9, "s"}, {0xA7AA, "H"}, {0xA7AD, "L"}, {0xA7AF, "q"}, {0xA7B2, "J"},
    {0xA7B8, "U"}, {0xA7B9, "u"}, {0xA7C4, "C"}, {0xA7C5, "S"}, {0xA7C6, "Z"}, {0xA7C7, "D"},
    {0xA7C8, "d"}, {0xA7C9, "S"}, {0xA7CA, "s"}, {0xA7F2, "C"}, {0xA7F3, "F"}, {0xA7F4, "Q"},
    {0xAB34, "e"}, {0xAB37, "l"}, {0xAB38, "l"}, {0xAB39, "l"}, {0xAB3A, "m"}, {0xAB3B, "n"},
    {0xAB49, "r"}, {0xAB4E, "u"}, {0xAB52, "u"}, {0xAB56, "x"}, {0xAB57, "x"}, {0xAB58, "x"},
    {0xAB59, "x"}, {0xAB5A, "y"}, {0xAB70, "d"}, {0xAB71, "r"}, {0xAB72, "t"}, {0xAB75, "i"},
    {0xAB79, "y"}, {0xAB7A, "a"}, {0xAB7B, "j"}, {0xAB7C, "e"}, {0xAB83, "w"}, {0xAB87, "m"},
    {0xAB8B, "h"}, {0xAB90, "g"}, {0xAB92, "h"}, {0xAB93, "z"}, {0xAB9F, "b"}, {0xABA2, "r"},
    {0xABA5, "s"}, {0xABA9, "v"}, {0xABAA, "s"}, {0xABAE, "l"}, {0xABAF, "c"}, {0xABB2, "p"},
    {0xABB6, "k"}, {0xABB7, "d"}, {0x1D6A4, "i"}, {0x1D6A5, "j"}, {0x1F100, "0"}, {0x1F101, "0"},
    {0x1F102, "1"}, {0x1F103, "2"}, {0x1F104, "3"}, {0x1F105, "4"}, {0x1F106, "5"}, {0x1F107, "6"},
    {0x1F108, "7"}, {0x1F109, "8"}, {0x1F10A, "9"}, {0x1F110, "A"}, {0x1F111, "B"}, {0x1F112, "C"},
    {0x1F113, "D"}, {0x1F114, "E"}, {0x1F115, "F"}, {0x1F116, "G"}, {0x1F117, "H"}, {0x1F118, "I"},
    {0x1F119, "J"}, {0x1F11A, "K"}, {0x1F11B, "L"}, {0x1F11C, "M"}, {0x1F11D, "N"}, {0x1F11E, "O"},
    {0x1F11F, "P"}, {0x1F120, "Q"}, {0x1F121, "R"}, {0x1F122, "S"}, {0x1F123, "T"}, {0x1F124, "U"},
    {0x1F125, "V"}, {0x1F126, "W"}, {0x1F127, "X"}, {0x1F128, "Y"}, {0x1F129, "Z"}, {0x1F130, "A"},
    {0x1F131, "B"}, {0x1F132, "C"}, {0x1F133, "D"}, {0x1F134, "E"}, {0x1F135, "F"}, {0x1F136, "G"},
    {0x1F137, "H"}, {0x1F138, "I"}, {0x1F139, "J"}, {0x1F13A, "K"}, {0x1F13B, "L"}, {0x1F13C, "M"},
    {0x1F13D, "N"}, {0x1F13E, "O"}, {0x1F13F, "P"}, {0x1F140, "Q"}, {0x1F141, "R"}, {0x1F142, "S"},
    {0x1F143, "T"}, {0x1F144, "U"}, {0x1F145, "V"}, {0x1F146, "W"}, {0x1F147, "X"}, {0x1F148, "Y"},
    {0x1F149, "Z"}, {0x1F150, "A"}, {0x1F151, "B"}, {0x1F152, "C"}, {0x1F153, "D"}, {0x1F154, "E"},
    {0x1F155, "F"}, {0x1F156, "G"}, {0x1F157, "H"}, {0x1F158, "I"}, {0x1F159, "J"}, {0x1F15A, "K"},
    {0x1F15B, "L"}, {0x1F15C, "M"}, {0x1F15D, "N"}, {0x1F15E, "O"}, {0x1F15F, "P"}, {0x1F160, "Q"},
    {0x1F161, "R"}, {0x1F162, "S"}, {0x1F163, "T"}, {0x1F164, "U"}, {0x1F165, "V"}, {0x1F166, "W"},
    {0x1F167, "X"}, {0x1F168, "Y"}, {0x1F169, "Z"}, {0x1F170, "A"}, {0x1F171, "B"}, {0x1F172, "C"},
    {0x1F173, "D"}, {0x1F174, "E"}, {0x1F175, "F"}, {0x1F176, "G"}, {0x1F177, "H"}, {0x1F178, "I"},
    {0x1F179, "J"}, {0x1F17A, "K"}, {0x1F17B, "L"}, {0x1F17C, "M"}, {0x1F17D, "N"}, {0x1F17E, "O"},
    {0x1F17F, "P"}, {0x1F180, "Q"}, {0x1F181, "R"}, {0x1F182, "S"}, {0x1F183, "T"}, {0x1F184, "U"},
    {0x1F185, "V"}, {0x1F186, "W"}, {0x1F187, "X"}, {0x1F188, "Y"}, {0x1F189, "Z"}, {0x1F1E6, "A"},
    {0x1F1E7, "B"}, {0x1F1E8, "C"}, {0x1F1E9, "D"}, {0x1F1EA, "E"}, {0x1F1EB, "F"}, {0x1F1EC, "G"},
    {0x1F1ED, "H"}, {0x1F1EE, "I"}, {0x1F1EF, "J"}, {0x1F1F0, "K"}, {0x1F1F1, "L"}, {0x1F1F2, "M"},
    {0x1F1F3, "N"}, {0x1F1F4, "O"}, {0x1F1F5, "P"}, {0x1F1F6, "Q"}, {0x1F1F7, "R"}, {0x1F1F8, "S"},
    {0x1F1F9, "T"}, {0x1F1FA, "U"}, {0x1F1FB, "V"}, {0x1F1FC, "W"}, {0x1F1FD, "X"}, {0x1F1FE, "Y"},
    {0x1F1FF, "Z"},
};
/* clang-format on */

/* Returns what code folds to by text_look_alikes, or NULL. */
static const char *text_look_alike_of(unsigned code)
{
    size_t low = 0;
    size_t high = sizeof text_look_alikes / sizeof text_look_alikes[0];
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        if (text_look_alikes[middle].code == code) {
            return text_look_alikes[middle].letters;
        }
        if (text_look_alikes[middle].code < code) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    return NULL;
}

/* Sets fold to a character of text_look_alikes when the well-formed character of consumed
 * bytes at text is one, and leaves it as it is otherwise. */
static void text_fold_look_alike(const unsigned char *text, size_t consumed, text_fold *fold)
{
    unsigned code = 0;
    if (consumed == 2) {
        code = ((text[0] & 0x1Fu) << 6) | (text[1] & 0x3Fu);
    } else if (consumed == 3) {
        code = ((text[0] & 0x0Fu) << 12) | ((text[1] & 0x3Fu) << 6) | (text[2] & 0x3Fu);
    } else if (consumed == 4) {
        code = ((text[0] & 0x07u) << 18) | ((text[1] & 0x3Fu) << 12) | ((text[2] & 0x3Fu) << 6) |
               (text[3] & 0x3Fu);
    }
    const char *letters = text_look_alike_of(code);
    if (letters != NULL) {
        fold->kind = TEXT_FOLD_LETTERS;
        fold->consumed = consumed;
        fold->letters = letters;
        fold->letters_length = strlen(letters);
    }
}

/* One ASCII character per code point, for the folds below that map to a single character. */
static const char text_ascii[] = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                 "[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/* Sets fold to the ASCII character code (0x20 to 0x7E) read from consumed bytes. */
static void text_fold_ascii(text_fold *fold, unsigned code, size_t consumed)
{
    fold->kind = TEXT_FOLD_LETTERS;
    fold->consumed = consumed;
    fold->letters = &text_ascii[code - 0x20];
    fold->letters_length = 1;
}

/* Sets fold to kind for a character of consumed bytes. */
static void text_fold_as(text_fold *fold, text_fold_kind kind, size_t consumed)
{
    fold->kind = kind;
    fold->consumed = consumed;
}

/*
 * Reads the UTF-8 character at text (length bytes left, text[0] >= 0x80) into fold, a minimal
 * NFKC for Latin text. Fullwidth forms, mathematical letters and digits and circled letters
 * become ASCII, accented Latin letters (U+00C0 to U+017F) become their base letters, and the
 * look-alikes of text_look_alikes (small capitals, Cyrillic "а") the letters they stand for.
 * Combining marks, variation selectors, invisible characters (soft hyphen, zero-width
 * characters, bidirectional controls, word joiner, invisible operators, Hangul fillers, tag
 * characters, byte order mark) and U+2019, the typographic apostrophe, are dropped. The other
 * Unicode spaces become a space. Anything else, including a malformed sequence, is kept.
 */
static void text_fold_character(const unsigned char *text, size_t length, text_fold *fold)
{
    unsigned b1 = length > 1 ? text[1] : 0;
    unsigned b2 = length > 2 ? text[2] : 0;
    unsigned b3 = length > 3 ? text[3] : 0;
    int tail1 = (b1 & 0xC0) == 0x80;
    int tail2 = tail1 && (b2 & 0xC0) == 0x80;
    int tail3 = tail2 && (b3 & 0xC0) == 0x80;

    fold->kind = TEXT_FOLD_KEEP;
    fold->consumed = 1;
    switch (text[0]) {
    case 0xC2:
        if (b1 == 0xA0) {
            text_fold_as(fold, TEXT_FOLD_SPACE, 2);
        } else if (b1 == 0xAD) {
            text_fold_as(fold, TEXT_FOLD_DROP, 2);
        }
        break;
    case 0xC3:
    case 0xC4:
    case 0xC5:
        if (tail1) {
            const char *base = text_base_letters[(((text[0] & 0x1Fu) << 6) | (b1 & 0x3Fu)) - 0xC0];
            if (base != NULL) {
                fold->kind = TEXT_FOLD_LETTERS;
                fold->consumed = 2;
                fold->letters = base;
                fold->letters_length = strlen(base);
            }
        }
        break;
    case 0xCC: /* U+0300 to U+033F */
        if (tail1) {
            text_fold_as(fold, TEXT_FOLD_DROP, 2);
        }
        break;
    case 0xCD: /* U+0340 to U+036F */
        if (b1 >= 0x80 && b1 <= 0xAF) {
            text_fold_as(fold, TEXT_FOLD_DROP, 2);
        }
        break;
    case 0xE1:
        if (!tail2) {
            break;
        }
        if ((b1 == 0x85 && (b2 == 0x9F || b2 == 0xA0)) || (b1 == 0xA0 && b2 == 0x8E) ||
            (b1 == 0xAA && b2 >= 0xB0) || b1 == 0xAB || b1 == 0xB7) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        }
        break;
    case 0xE2:
        if (!tail2) {
            break;
        }
        if (b1 == 0x80) {
            if (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) {
                text_fold_as(fold, TEXT_FOLD_SPACE, 3);
            } else if ((b2 >= 0x8B && b2 <= 0x8F) || b2 == 0x99 || (b2 >= 0xAA && b2 <= 0xAE)) {
                text_fold_as(fold, TEXT_FOLD_DROP, 3);
            }
        } else if (b1 == 0x81) {
            if (b2 == 0x9F) {
                text_fold_as(fold, TEXT_FOLD_SPACE, 3);
            } else if ((b2 >= 0xA0 && b2 <= 0xA4) || (b2 >= 0xA6 && b2 <= 0xA9)) {
                text_fold_as(fold, TEXT_FOLD_DROP, 3);
            }
        } else if (b1 == 0x83 && b2 >= 0x90) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        } else if (b1 == 0x92 || b1 == 0x93) {
            unsigned code = 0x2000 + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
            if (code >= 0x24B6 && code <= 0x24CF) {
                text_fold_ascii(fold, 'A' + (code - 0x24B6), 3);
            } else if (code >= 0x24D0 && code <= 0x24E9) {
                text_fold_ascii(fold, 'a' + (code - 0x24D0), 3);
            }
        }
        break;
    case 0xE3:
        if (tail2 && b1 == 0x80 && b2 == 0x80) {
            text_fold_as(fold, TEXT_FOLD_SPACE, 3);
        } else if (tail2 && b1 == 0x85 && b2 == 0xA4) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        }
        break;
    case 0xEF:
        if (!tail2) {
            break;
        }
        if ((b1 == 0xB8 && (b2 <= 0x8F || (b2 >= 0xA0 && b2 <= 0xAF))) ||
            (b1 == 0xBB && b2 == 0xBF) || (b1 == 0xBE && b2 == 0xA0)) {
            text_fold_as(fold, TEXT_FOLD_DROP, 3);
        } else if (b1 == 0xBC || b1 == 0xBD) {
            unsigned code = 0xF000 + ((b1 & 0x3Fu) << 6) + (b2 & 0x3Fu);
            if (code >= 0xFF01 && code <= 0xFF5E) {
                text_fold_ascii(fold, code - 0xFF00 + 0x20, 3);
            }
        }
        break;
    case 0xF0:
        if (tail3 && b1 == 0x9D && b2 >= 0x90 && b2 <= 0x9F) {
            unsigned code = 0x1D000 + ((b2 & 0x3Fu) << 6) + (b3 & 0x3Fu);
            if (code <= 0x1D6A3) {
                unsigned offset = (code - 0x1D400) % 52;
                text_fold_ascii(fold, offset < 26 ? 'A' + offset : 'a' + offset - 26, 4);
            } else if (code >= 0x1D7CE) {
                text_fold_ascii(fold, '0' + (code - 0x1D7CE) % 10, 4);
            }
        }
        break;
    case 0xF3:
        if (tail3 && b1 == 0xA0 && (b2 == 0x80 || b2 == 0x81)) {
            text_fold_as(fold, TEXT_FOLD_DROP, 4);
        }
        break;
    default:
        break;
    }

    /* Step 2: the look-alikes, in the blocks that have them (text_look_alikes). */
    if (fold->kind == TEXT_FOLD_KEEP) {
        unsigned lead = text[0];
        if (lead >= 0xC2 && lead <= 0xDF && tail1) {
            text_fold_look_alike(text, 2, fold);
        } else if ((lead == 0xE1 || lead == 0xE2 || lead == 0xEA) && tail2) {
            text_fold_look_alike(text, 3, fold);
        } else if (lead == 0xF0 && tail3) {
            text_fold_look_alike(text, 4, fold);
        }
    }
}

/* Appends byte c of a word to out, after one space when a separator came before it. */
static void text_put_word_byte(char *out, size_t *used, int *separator_pending, unsigned char c)
{
    if (*separator_pending && *used > 0) {
        out[(*used)++] = ' ';
    }
    *separator_pending = 0;
    out[(*used)++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : (char)c;
}

/* The maximum number of letters and digits in a spelled-out run that is joined ("M F A" has
 * 3). */
#define TEXT_SPELLED_MAX 5

static int text_is_ascii_letter(unsigned char c)
{
    return c >= 'a' && c <= 'z';
}

static int text_is_ascii_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

/* True when the word at position of the normalised text (used bytes) is one ASCII letter or
 * digit. */
static int text_single_at(const char *text, size_t used, size_t position)
{
    unsigned char c = (unsigned char)text[position];
    return (text_is_ascii_letter(c) || text_is_ascii_digit(c)) &&
           (position + 1 == used || text[position + 1] == ' ');
}

/*
 * Joins letters spelled out one by one in a normalised text, in place, as speech-to-text
 * writes an acronym: "m f a" (from "M F A", "M. F. A." or "M.F.A.") becomes "mfa", "2 f a"
 * becomes "2fa", and "two f a" becomes "2fa". A run of 2 to TEXT_SPELLED_MAX single letters or
 * digits with a letter among them is joined, with digits only before the letters ("p i n 1 2"
 * gives "pin 1 2"). A leading "a" or "i" of a run of 3 to TEXT_SPELLED_MAX stays a word
 * ("a m f a" gives "a mfa"), and a longer run stays as it is ("a b c d e f"). Returns the new
 * length, never more than used.
 */
static size_t text_join_spelled_letters(char *text, size_t used)
{
    size_t read = 0;
    size_t written = 0;
    while (read < used) {
        size_t end = read;
        while (end < used && text[end] != ' ') {
            end++;
        }

        /* Step 1: the run of single letters or digits at read, or after a "two" there. */
        int two = end - read == 3 && memcmp(text + read, "two", 3) == 0;
        size_t start = two ? end + 1 : read;
        char letters[TEXT_SPELLED_MAX + 2];
        size_t count = 0;
        int letter_seen = 0;
        size_t after = start;
        while (after < used && text_single_at(text, used, after)) {
            unsigned char c = (unsigned char)text[after];
            if (text_is_ascii_digit(c) && letter_seen) {
                break;
            }
            if (two && count == 0 && !text_is_ascii_letter(c)) {
                break;
            }
            letter_seen = letter_seen || text_is_ascii_letter(c);
            if (count < sizeof letters) {
                letters[count] = (char)c;
            }
            count++;
            after += 2; /* the character and the space after it */
        }
        size_t run_end = after > start ? after - 1 : start; /* one past the run's last byte */

        /* Step 2: join the run, or copy it unchanged so that no part of it is joined. */
        if (two && count >= 2 && count < TEXT_SPELLED_MAX) {
            memmove(letters + 1, letters, count < sizeof letters - 1 ? count : sizeof letters - 1);
            letters[0] = '2';
            count++;
        } else if (two) {
            count = 0; /* "two" before no letter is a word like any other */
        }
        if (count >= 2) {
            size_t first = 0;
            if (!two && count >= 3 && count <= TEXT_SPELLED_MAX &&
                (letters[0] == 'a' || letters[0] == 'i')) {
                first = 1;
            }
            int joinable = letter_seen && count - first >= 2 && count - first <= TEXT_SPELLED_MAX;
            if (written > 0) {
                text[written++] = ' ';
            }
            if (joinable) {
                if (first == 1) {
                    text[written++] = letters[0];
                    text[written++] = ' ';
                }
                memcpy(text + written, letters + first, count - first);
                written += count - first;
            } else {
                memmove(text + written, text + read, run_end - read);
                written += run_end - read;
            }
            read = run_end + 1;
            continue;
        }

        if (written > 0) {
            text[written++] = ' ';
        }
        memmove(text + written, text + read, end - read);
        written += end - read;
        read = end + 1;
    }
    return written;
}

/* What a bidirectional control does to the runs of text_read_overrides. */
typedef enum {
    TEXT_BIDI_NONE,
    TEXT_BIDI_EMBEDDING,     /* opens: U+202A, U+202B, U+202D */
    TEXT_BIDI_OVERRIDE,      /* opens a right-to-left override: U+202E */
    TEXT_BIDI_ISOLATE,       /* opens: U+2066 to U+2068 */
    TEXT_BIDI_POP_EMBEDDING, /* U+202C */
    TEXT_BIDI_POP_ISOLATE,   /* U+2069 */
    TEXT_BIDI_PARAGRAPH_END, /* ends every run */
} text_bidi_kind;

/* The maximum depth of nested runs, as in the Unicode bidirectional algorithm. Deeper openers
 * are ignored. */
#define TEXT_BIDI_MAX_DEPTH 125

/* Returns what the character at text (length bytes left) is to text_read_overrides, and sets
 * *width to its bytes: 1 for an ASCII or malformed byte, else the lead byte and the
 * continuation bytes after it. Paragraph ends are line feed, carriage return, the information
 * separators, next line (U+0085) and the paragraph separator (U+2029). */
static text_bidi_kind text_bidi_of(const unsigned char *text, size_t length, size_t *width)
{
    size_t bytes = 1;
    while (bytes < length && (text[bytes] & 0xC0) == 0x80) {
        bytes++;
    }
    *width = bytes;
    if (bytes == 1) {
        unsigned char c = text[0];
        return (c == '\n' || c == '\r' || (c >= 0x1C && c <= 0x1E)) ? TEXT_BIDI_PARAGRAPH_END
                                                                    : TEXT_BIDI_NONE;
    }
    if (bytes == 2) {
        return (text[0] == 0xC2 && text[1] == 0x85) ? TEXT_BIDI_PARAGRAPH_END : TEXT_BIDI_NONE;
    }
    if (bytes != 3 || text[0] != 0xE2) {
        return TEXT_BIDI_NONE;
    }
    if (text[1] == 0x80) {
        switch (text[2]) {
        case 0xA9:
            return TEXT_BIDI_PARAGRAPH_END;
        case 0xAA:
        case 0xAB:
        case 0xAD:
            return TEXT_BIDI_EMBEDDING;
        case 0xAC:
            return TEXT_BIDI_POP_EMBEDDING;
        case 0xAE:
            return TEXT_BIDI_OVERRIDE;
        default:
            return TEXT_BIDI_NONE;
        }
    }
    if (text[1] == 0x81 && text[2] >= 0xA6 && text[2] <= 0xA8) {
        return TEXT_BIDI_ISOLATE;
    }
    return text[1] == 0x81 && text[2] == 0xA9 ? TEXT_BIDI_POP_ISOLATE : TEXT_BIDI_NONE;
}

/* Reverses the bytes of text[0, length). */
static void text_reverse_bytes(char *text, size_t length)
{
    for (size_t i = 0; i < length / 2; i++) {
        char byte = text[i];
        text[i] = text[length - 1 - i];
        text[length - 1 - i] = byte;
    }
}

/* Reverses the order of the characters of text[0, length), each kept whole: a character is a
 * byte with the continuation bytes after it. */
static void text_reverse_characters(char *text, size_t length)
{
    text_reverse_bytes(text, length);
    size_t start = 0;
    while (start < length) {
        size_t end = start;
        while (end < length && ((unsigned char)text[end] & 0xC0) == 0x80) {
            end++;
        }
        if (end < length) {
            end++; /* the byte that led the character, now after its continuation bytes */
        }
        text_reverse_bytes(text + start, end - start);
        start = end;
    }
}

/*
 * Writes text into out in the order a reader sees it, as the sensitive policy's read_overrides
 * does (config/policies/sensitive.lua): a browser shows the characters inside a right-to-left
 * override (U+202E ... U+202C) from right to left, so they are reversed, and a run nested inside
 * keeps its own order and moves as one piece. Embeddings and isolates only bound runs. The
 * controls are left out, so the result is never longer than text. Returns its length.
 *
 * A run is reversed when it closes, once for being an override and once more when the run
 * around it is one, so that the outer run's reversal restores its order. A character is thus
 * moved at most once for each run around it, at most TEXT_BIDI_MAX_DEPTH times.
 */
static size_t text_read_overrides(const char *text, size_t length, char *out)
{
    size_t starts[TEXT_BIDI_MAX_DEPTH];
    text_bidi_kind kinds[TEXT_BIDI_MAX_DEPTH];
    size_t depth = 0;
    size_t ignored = 0;
    size_t used = 0;

    size_t i = 0;
    while (i <= length) {
        size_t width = 1;
        text_bidi_kind kind =
            i < length ? text_bidi_of((const unsigned char *)text + i, length - i, &width)
                       : TEXT_BIDI_PARAGRAPH_END;

        /* Step 1: the runs this character closes. */
        size_t close_to = depth;
        if (kind == TEXT_BIDI_PARAGRAPH_END) {
            close_to = 0;
            ignored = 0;
        } else if (kind == TEXT_BIDI_POP_EMBEDDING) {
            if (ignored > 0) {
                ignored--;
            } else if (depth > 0 && kinds[depth - 1] != TEXT_BIDI_ISOLATE) {
                close_to = depth - 1;
            }
        } else if (kind == TEXT_BIDI_POP_ISOLATE) {
            size_t isolate = depth;
            while (isolate > 0 && kinds[isolate - 1] != TEXT_BIDI_ISOLATE) {
                isolate--;
            }
            if (isolate > 0) {
                close_to = isolate - 1;
                ignored = 0;
            }
        }
        while (depth > close_to) {
            bool reversed = kinds[depth - 1] == TEXT_BIDI_OVERRIDE;
            bool outer_reversed = depth >= 2 && kinds[depth - 2] == TEXT_BIDI_OVERRIDE;
            if (reversed != outer_reversed) {
                text_reverse_characters(out + starts[depth - 1], used - starts[depth - 1]);
            }
            depth--;
        }
        if (i == length) {
            break;
        }

        /* Step 2: the run it opens, or the character itself. */
        if (kind == TEXT_BIDI_EMBEDDING || kind == TEXT_BIDI_OVERRIDE ||
            kind == TEXT_BIDI_ISOLATE) {
            if (depth < TEXT_BIDI_MAX_DEPTH) {
                starts[depth] = used;
                kinds[depth] = kind;
                depth++;
            } else {
                ignored++;
            }
        } else if (kind != TEXT_BIDI_POP_EMBEDDING && kind != TEXT_BIDI_POP_ISOLATE) {
            memcpy(out + used, text + i, width);
            used += width;
        }
        i += width;
    }
    return used;
}

/* A folded character takes at least as many bytes as its result, and a separator is written
 * only in place of at least one byte read, so the result is never longer than text. An ASCII
 * apostrophe, as a fold's result too, is dropped like U+2019. */
size_t halyard_text_normalise_into(const char *text, size_t length, char *out)
{
    size_t used = 0;
    int separator_pending = 0;
    size_t i = 0;

    /* Text with a right-to-left override is put in the order a reader sees it first, into out,
     * and normalised there: each step writes no further than it has read. */
    if (memmem(text, length, "\xE2\x80\xAE", 3) != NULL) {
        length = text_read_overrides(text, length, out);
        text = out;
    }

    while (i < length) {
        unsigned char c = (unsigned char)text[i];
        text_fold fold = {TEXT_FOLD_KEEP, 1, NULL, 0};
        if (c >= 0x80) {
            text_fold_character((const unsigned char *)text + i, length - i, &fold);
        }
        i += fold.consumed;

        if (fold.kind == TEXT_FOLD_DROP) {
            continue;
        }
        if (fold.kind == TEXT_FOLD_SPACE) {
            separator_pending = 1;
            continue;
        }
        if (fold.kind == TEXT_FOLD_LETTERS) {
            for (size_t k = 0; k < fold.letters_length; k++) {
                unsigned char letter = (unsigned char)fold.letters[k];
                if (letter == '\'') {
                    continue;
                }
                if (!text_is_word_byte(letter)) {
                    separator_pending = 1;
                    continue;
                }
                text_put_word_byte(out, &used, &separator_pending, letter);
            }
            continue;
        }
        if (c == '\'') {
            continue;
        }
        if (!text_is_word_byte(c)) {
            separator_pending = 1;
            continue;
        }
        text_put_word_byte(out, &used, &separator_pending, c);
    }
    return text_join_spelled_letters(out, used);
}

/* Normalises argument index into a scratch userdata pushed on the stack and returns it, with
 * its length in *normalised_length. Raises for a non-string argument. Stack: [] -> [scratch]. */
static const char *text_push_normalised(lua_State *L, int index, halyard_lua_meter *meter,
                                        size_t *normalised_length)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, index, &length);
    char *scratch = lua_newuserdatauv(L, length > 0 ? length : 1, 0);

    halyard_lua_meter_charge(meter, 1 + length / TEXT_BYTES_PER_STEP);
    *normalised_length = halyard_text_normalise_into(text, length, scratch);
    return scratch;
}

/*
 * Splits a normalised text into its words, in a userdata pushed on the stack. Returns the
 * words and sets *count. Stack: [] -> [words].
 */
static text_word *text_push_words(lua_State *L, const char *normalised, size_t length,
                                  size_t *count)
{
    /* Words and spaces alternate, so there are at most (length + 1) / 2 words. */
    size_t capacity = (length + 1) / 2;
    text_word *words = lua_newuserdatauv(L, (capacity > 0 ? capacity : 1) * sizeof *words, 0);
    size_t found = 0;
    size_t start = 0;

    for (size_t i = 0; i <= length; i++) {
        if (i == length || normalised[i] == ' ') {
            if (i > start) {
                words[found].start = normalised + start;
                words[found].length = i - start;
                found++;
            }
            start = i + 1;
        }
    }
    *count = found;
    return words;
}

static int text_normalise(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.normalise", length);
    halyard_lua_meter_charge(&meter, 1 + length / TEXT_BYTES_PER_STEP);
    halyard_lua_meter_end(&meter);

    luaL_Buffer buffer;
    char *out = luaL_buffinitsize(L, &buffer, length);
    luaL_pushresultsize(&buffer, halyard_text_normalise_into(text, length, out));
    return 1;
}

static int text_tokens(lua_State *L)
{
    size_t length = 0;
    luaL_checklstring(L, 1, &length);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.tokens", length);

    /* Stack: [s] -> [s, normalised, words] -> [s, normalised, words, tokens]. */
    size_t normalised_length = 0;
    size_t count = 0;
    const char *normalised = text_push_normalised(L, 1, &meter, &normalised_length);
    text_word *words = text_push_words(L, normalised, normalised_length, &count);
    halyard_lua_meter_charge(&meter, count);
    halyard_lua_meter_end(&meter);

    lua_createtable(L, count > INT_MAX ? INT_MAX : (int)count, 0);
    for (size_t i = 0; i < count; i++) {
        lua_pushlstring(L, words[i].start, words[i].length);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

/* Orders words by their bytes, as memcmp does, a shorter prefix first. */
static int text_word_compare(const void *left, const void *right)
{
    const text_word *a = left;
    const text_word *b = right;
    size_t shorter = a->length < b->length ? a->length : b->length;
    int order = memcmp(a->start, b->start, shorter);
    if (order != 0) {
        return order;
    }
    return (a->length > b->length) - (a->length < b->length);
}

/* Sorts words and drops repeats; returns how many distinct words are left. */
static size_t text_sort_unique(text_word *words, size_t count, halyard_lua_meter *meter)
{
    if (count == 0) {
        return 0;
    }

    /* qsort makes about count * log2(count) comparisons. */
    size_t depth = 1;
    for (size_t n = count; n > 1; n /= 2) {
        depth++;
    }
    halyard_lua_meter_charge(meter, count * depth);
    qsort(words, count, sizeof *words, text_word_compare);

    size_t distinct = 1;
    for (size_t i = 1; i < count; i++) {
        if (text_word_compare(&words[distinct - 1], &words[i]) != 0) {
            words[distinct++] = words[i];
        }
    }
    return distinct;
}

static int text_similarity(lua_State *L)
{
    luaL_checkstring(L, 1);
    luaL_checkstring(L, 2);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.similarity", lua_rawlen(L, 1) + lua_rawlen(L, 2));

    /* Stack: [a, b] -> [a, b, normalised a, words a, normalised b, words b]. */
    size_t length_a = 0;
    size_t length_b = 0;
    size_t count_a = 0;
    size_t count_b = 0;
    const char *normalised_a = text_push_normalised(L, 1, &meter, &length_a);
    text_word *words_a = text_push_words(L, normalised_a, length_a, &count_a);
    const char *normalised_b = text_push_normalised(L, 2, &meter, &length_b);
    text_word *words_b = text_push_words(L, normalised_b, length_b, &count_b);
    count_a = text_sort_unique(words_a, count_a, &meter);
    count_b = text_sort_unique(words_b, count_b, &meter);

    /* Both lists are sorted: walk them together and count the words they share. */
    size_t shared = 0;
    size_t i = 0;
    size_t j = 0;
    while (i < count_a && j < count_b) {
        int order = text_word_compare(&words_a[i], &words_b[j]);
        if (order == 0) {
            shared++;
            i++;
            j++;
        } else if (order < 0) {
            i++;
        } else {
            j++;
        }
    }
    halyard_lua_meter_charge(&meter, count_a + count_b);
    halyard_lua_meter_end(&meter);

    size_t total = count_a + count_b - shared;
    lua_pushnumber(L, total == 0 ? 1.0 : (lua_Number)shared / (lua_Number)total);
    return 1;
}

static int text_contains_any(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    luaL_checktype(L, 2, LUA_TTABLE);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.contains_any", length);

    /* Stack: [s, list] -> [s, list, haystack]. The normalised text sits between two spaces,
     * so a phrase found in it, also between spaces, starts and ends at word boundaries. */
    char *haystack = lua_newuserdatauv(L, length + 2, 0);
    halyard_lua_meter_charge(&meter, 1 + length / TEXT_BYTES_PER_STEP);
    size_t haystack_length = halyard_text_normalise_into(text, length, haystack + 1) + 2;
    haystack[0] = ' ';
    haystack[haystack_length - 1] = ' ';

    /* Raw reads: a metamethod of the list would run script code outside this check. */
    lua_Integer count = (lua_Integer)lua_rawlen(L, 2);
    for (lua_Integer i = 1; i <= count; i++) {
        /* Stack: [..., haystack] -> [..., haystack, phrase, needle]. */
        lua_rawgeti(L, 2, i);
        if (lua_type(L, -1) != LUA_TSTRING) {
            return luaL_argerror(L, 2,
                                 lua_pushfstring(L, "phrase %I is a %s, expected a string", i,
                                                 luaL_typename(L, -1)));
        }
        size_t phrase_length = 0;
        const char *phrase = lua_tolstring(L, -1, &phrase_length);
        char *needle = lua_newuserdatauv(L, phrase_length + 2, 0);
        size_t needle_length = halyard_text_normalise_into(phrase, phrase_length, needle + 1) + 2;
        if (needle_length == 2) {
            return luaL_argerror(L, 2,
                                 lua_pushfstring(L, "phrase %I (\"%s\") has no words", i, phrase));
        }
        needle[0] = ' ';
        needle[needle_length - 1] = ' ';

        halyard_lua_meter_charge(&meter,
                                 1 + (haystack_length + phrase_length) / TEXT_BYTES_PER_STEP);
        if (memmem(haystack, haystack_length, needle, needle_length) != NULL) {
            halyard_lua_meter_end(&meter);
            lua_pop(L, 1);
            return 1;
        }
        lua_pop(L, 2);
    }
    halyard_lua_meter_end(&meter);
    lua_pushnil(L);
    return 1;
}

/* The bytes text.sha256 hashes between two charges of the meter, so that the budget and the
 * deadline can stop the hash of a long text part way. */
#define TEXT_HASH_CHUNK_BYTES (64 * 1024)

/* text.sha256(s): the SHA-256 digest of the bytes of s as 64 lowercase hexadecimal digits.
 * Raises when s is not a string (a number is converted). */
static int text_sha256(lua_State *L)
{
    size_t length = 0;
    const char *text = luaL_checklstring(L, 1, &length);
    halyard_lua_meter meter;
    halyard_lua_meter_begin(&meter, L, "text.sha256", length);

    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    size_t done = 0;
    do {
        size_t chunk =
            length - done < TEXT_HASH_CHUNK_BYTES ? length - done : TEXT_HASH_CHUNK_BYTES;
        halyard_lua_meter_charge(&meter, 1 + chunk / TEXT_BYTES_PER_STEP);
        crypto_hash_sha256_update(&state, (const unsigned char *)text + done, chunk);
        done += chunk;
    } while (done < length);
    halyard_lua_meter_end(&meter);

    unsigned char digest[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256_final(&state, digest);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    lua_pushlstring(L, hex, sizeof hex - 1);
    return 1;
}

int halyard_open_text(lua_State *L)
{
    static const luaL_Reg functions[] = {
        {"normalise", text_normalise},   {"tokens", text_tokens},
        {"similarity", text_similarity}, {"contains_any", text_contains_any},
        {"sha256", text_sha256},         {NULL, NULL},
    };
    luaL_newlib(L, functions);
    return 1;
}
