#include "verification_note.h"

#include "note_text.h"
#include "text_buffer.h"

#include <stdbool.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define NOTE_MAX (64 * 1024)

/* Writes ms on the business clock as "2026-12-05 14:03 UTC". */
static void format_time(long long ms, char *text, size_t size)
{
    time_t seconds = (time_t)(ms / 1000);
    struct tm utc;
    gmtime_r(&seconds, &utc);
    strftime(text, size, "%Y-%m-%d %H:%M UTC", &utc);
}

/* Writes a timeout as technicians read it: "15 seconds", "1 minute", "5 minutes" or
 * "2 minutes and 30 seconds". */
static void append_duration(halyard_text_buffer *note, long long seconds)
{
    long long minutes = seconds / 60;
    long long rest = seconds % 60;
    if (minutes > 0) {
        halyard_text_buffer_printf(note, "%lld minute%s", minutes, minutes == 1 ? "" : "s");
    }
    if (minutes > 0 && rest > 0) {
        halyard_text_buffer_append_text(note, " and ");
    }
    if (rest > 0 || minutes == 0) {
        halyard_text_buffer_printf(note, "%lld second%s", rest, rest == 1 ? "" : "s");
    }
}

/* The technicians' next step, by outcome. */
static const char *next_step(const char *status)
{
    if (strcmp(status, "failed") == 0) {
        return "Do not act on this request until a technician has confirmed the requester's "
               "identity another way, for example by calling them back on the number on file. "
               "Treat it as a possible impersonation attempt.";
    }
    if (strcmp(status, "expired") == 0) {
        return "Confirm the requester's identity another way (a call back on the number on "
               "file) before acting on the request, or ask them to log the ticket again.";
    }
    if (strcmp(status, "no_contact") == 0) {
        return "Add the requester's work e-mail address or mobile number to their user in "
               "HaloPSA, and confirm their identity another way before acting on the request.";
    }
    return "Check the provider with `halyard verify status` and halyard's log, and confirm the "
           "requester's identity another way before acting on the request.";
}

static const char *headline(const char *status)
{
    if (strcmp(status, "verified") == 0) {
        return "identity verified";
    }
    if (strcmp(status, "failed") == 0) {
        return "identity verification failed";
    }
    if (strcmp(status, "expired") == 0) {
        return "identity verification expired";
    }
    if (strcmp(status, "no_contact") == 0) {
        return "identity verification not possible: no e-mail or phone on file";
    }
    return "identity verification error";
}

char *halyard_verification_note_html(const halyard_verification *verification, const char *reasons,
                                     long long timeout_s, const char *team, bool planned_before)
{
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, NOTE_MAX);
    const char *status = verification->status;
    char finished[40];
    format_time(verification->finished_at_ms > 0 ? verification->finished_at_ms
                                                 : verification->started_at_ms,
                finished, sizeof finished);

    /* Step 1: what happened, to whom, when and how. */
    halyard_text_buffer_printf(&note, "<p><b>halyard: %s</b></p><p>", headline(status));
    halyard_text_buffer_append_text(&note, "Requester: ");
    halyard_note_append_text(&note,
                             verification->requester_name[0] != '\0' ? verification->requester_name
                                                                     : "(no name on the ticket)",
                             0);
    halyard_text_buffer_append_text(&note, "<br>Provider: ");
    halyard_note_append_text(&note, verification->provider, 0);
    if (verification->method[0] != '\0') {
        halyard_text_buffer_append_text(&note, " (");
        halyard_note_append_text(&note, verification->method, 0);
        halyard_text_buffer_append_text(&note, ")");
    }
    halyard_text_buffer_printf(&note, "<br>%s: %s",
                               strcmp(status, "verified") == 0 ? "Verified at" : "Finished at",
                               finished);
    if (reasons != NULL && reasons[0] != '\0') {
        halyard_text_buffer_append_text(&note, "<br>Why it was asked: the ticket was classified "
                                               "sensitive (");
        halyard_note_append_reasons(&note, reasons);
        halyard_text_buffer_append_text(&note, ")");
    }
    /* A request only in another end user's reply or in quoted mail gets no challenge
     * (halyard_verification_other_request_note_html), so a check is for a request in the
     * requester's own words. */
    halyard_text_buffer_append_text(&note, "<br>Whose request: the requester's own, in the "
                                           "ticket or their replies (not quoted mail or another "
                                           "end user's reply)");
    halyard_text_buffer_append_text(&note, "</p>");

    /* Step 2: what follows. */
    if (strcmp(status, "verified") == 0 && planned_before) {
        halyard_text_buffer_append_text(
            &note, "<p>The requester answered the challenge. This ticket is in Plan mode and its "
                   "plan note was written before the request that needed the check, so no plan "
                   "covers that request: a technician handles it.</p>");
    } else if (strcmp(status, "verified") == 0) {
        halyard_text_buffer_append_text(&note, "<p>The requester answered the challenge. The "
                                               "agent goes on with this ticket.</p>");
    } else {
        halyard_text_buffer_append_text(&note, "<p>");
        bool late_pass = strncmp(verification->detail, HALYARD_VERIFY_LATE_PASS_DETAIL,
                                 strlen(HALYARD_VERIFY_LATE_PASS_DETAIL)) == 0;
        bool no_callback = strncmp(verification->detail, HALYARD_VERIFY_NO_CALLBACK_DETAIL,
                                   strlen(HALYARD_VERIFY_NO_CALLBACK_DETAIL)) == 0;
        if (strcmp(status, "expired") == 0 && late_pass) {
            halyard_text_buffer_append_text(
                &note, "The requester passed the challenge only after the timeout of ");
            append_duration(&note, timeout_s);
            halyard_text_buffer_append_text(&note, ", so the pass does not count. Detail: ");
            halyard_note_append_text(&note, verification->detail, 0);
            halyard_text_buffer_append_text(&note, ". ");
        } else if (strcmp(status, "expired") == 0 && no_callback) {
            /* halyard cannot ask a callback provider, so the note names the other cause too. */
            halyard_text_buffer_append_text(&note,
                                            "The requester did not answer the challenge within ");
            append_duration(&note, timeout_s);
            halyard_text_buffer_append_text(
                &note, ". That is, no result from the provider reached halyard: if the requester "
                       "says they answered, the provider's callback did not arrive, so check the "
                       "provider's delivery log and halyard's log, which counts the callbacks it "
                       "rejected. ");
        } else if (strcmp(status, "expired") == 0) {
            halyard_text_buffer_append_text(&note,
                                            "The requester did not answer the challenge within ");
            append_duration(&note, timeout_s);
            halyard_text_buffer_append_text(&note, ". ");
        } else if (verification->detail[0] != '\0') {
            halyard_text_buffer_append_text(&note, "Detail: ");
            halyard_note_append_text(&note, verification->detail, 0);
            halyard_text_buffer_append_text(&note, ". ");
        }
        halyard_text_buffer_printf(&note, "halyard has stopped working on this ticket. %s</p>",
                                   next_step(status));
        if (team != NULL && team[0] != '\0') {
            /* The assignment is a separate write that HaloPSA may still reject (a team it does
             * not have), so the note says what was requested, not what happened. */
            halyard_text_buffer_append_text(&note, "<p>halyard asked HaloPSA to assign the "
                                                   "ticket to team ");
            halyard_note_append_text(&note, team, 0);
            halyard_text_buffer_append_text(&note, ".</p>");
        }
    }
    halyard_text_buffer_printf(&note, "<p style=\"color:#888\">halyard verification, run %lld</p>",
                               verification->run_id);
    return halyard_text_buffer_take(&note);
}

/* The maximum number of words and bytes of a sender's name that a hold note repeats. */
#define SENDER_NAME_MAX_WORDS 4
#define SENDER_NAME_MAX_BYTES 64

/* Labels of a credential, compared with a name's words case-insensitively. The secret filter
 * of ticket quotes (redact.lua) cuts the words after such a label, so a name that contains one
 * may carry a secret. */
static const char *const credential_words[] = {
    "password", "passwd",  "pwd",        "pw",       "pin",     "code",       "otp",
    "passcode", "passkey", "passphrase", "key",      "secret",  "token",      "credentials",
    "login",    "mdp",     "passwort",   "kennwort", "pincode", "contrasena", NULL,
};

/* Returns the byte length of the letter that text starts with, or 0. Letters are the ASCII
 * letters and these in UTF-8: Latin-1 Supplement and Latin Extended-A and B (U+00C0 to U+024F,
 * without the signs U+00D7 and U+00F7), Greek (U+0391 to U+03C9) and Cyrillic (U+0400 to
 * U+045F). Other scripts read as no letter, so such a name is not repeated. */
static size_t letter_length(const unsigned char *text)
{
    if ((text[0] >= 'A' && text[0] <= 'Z') || (text[0] >= 'a' && text[0] <= 'z')) {
        return 1;
    }
    if (text[0] < 0xC3 || text[0] > 0xD1 || (text[1] & 0xC0) != 0x80) {
        return 0;
    }
    unsigned code = ((unsigned)(text[0] & 0x1F) << 6) | (unsigned)(text[1] & 0x3F);
    bool latin = code >= 0xC0 && code <= 0x24F && code != 0xD7 && code != 0xF7;
    bool greek = code >= 0x391 && code <= 0x3C9 && code != 0x3A2;
    bool cyrillic = code >= 0x400 && code <= 0x45F;
    return latin || greek || cyrillic ? 2 : 0;
}

/* True when the word of length bytes at text is a label of credential_words. */
static bool is_credential_word(const char *text, size_t length)
{
    for (size_t i = 0; credential_words[i] != NULL; i++) {
        if (strlen(credential_words[i]) == length &&
            strncasecmp(text, credential_words[i], length) == 0) {
            return true;
        }
    }
    return false;
}

/* Returns the byte length of a joiner inside a name's word at text: a hyphen, an apostrophe
 * or a right single quotation mark (U+2019, the apostrophe mail clients type), or 0. */
static size_t joiner_length(const unsigned char *text)
{
    if (text[0] == '-' || text[0] == '\'') {
        return 1;
    }
    return text[0] == 0xE2 && text[1] == 0x80 && text[2] == 0x99 ? 3 : 0;
}

/* A plain name has one to SENDER_NAME_MAX_WORDS words split by spaces and at most
 * SENDER_NAME_MAX_BYTES bytes. Each word is made of letters (letter_length) with single joiners
 * (joiner_length) between them, and no word is a credential's label. Anything else is not
 * repeated: digits, brackets, a sentence such as "Identity already confirmed by Sam Lead", or a
 * password after the name. */
bool halyard_verification_sender_name_plain(const char *author)
{
    size_t length = strlen(author);
    if (length == 0 || length > SENDER_NAME_MAX_BYTES) {
        return false;
    }

    const unsigned char *c = (const unsigned char *)author;
    size_t words = 0;
    size_t i = 0;
    while (c[i] == ' ') {
        i++;
    }
    while (i < length) {
        /* One word: a letter, then letters with single joiners between them. */
        size_t start = i;
        while (i < length && c[i] != ' ') {
            if (i > start) {
                i += joiner_length(c + i);
            }
            size_t letter = letter_length(c + i);
            if (letter == 0) {
                return false;
            }
            i += letter;
        }
        if (++words > SENDER_NAME_MAX_WORDS || is_credential_word(author + start, i - start)) {
            return false;
        }
        while (c[i] == ' ') {
            i++;
        }
    }
    return words > 0;
}

char *halyard_verification_other_request_note_html(const char *kind, const char *author,
                                                   const char *requester, const char *reason)
{
    halyard_text_buffer note;
    halyard_text_buffer_init(&note, NOTE_MAX);
    const char *requester_name = requester[0] != '\0' ? requester : "the requester";
    bool forwarded = strcmp(kind, "forwarded") == 0;
    bool quoted = forwarded || strcmp(kind, "quoted") == 0;
    bool named = halyard_verification_sender_name_plain(author);

    /* Step 1: whose request it appears to be. */
    halyard_text_buffer_append_text(&note, "<p><b>halyard: a sensitive request on this ticket "
                                           "is not the requester's own</b></p><p>The ticket asks "
                                           "for something sensitive (");
    halyard_note_append_text(&note, reason[0] != '\0' ? reason : "no reason given", 0);
    if (forwarded) {
        halyard_text_buffer_append_text(&note, "), but the request is in mail that ");
        halyard_note_append_text(&note, requester_name, 0);
        halyard_text_buffer_append_text(&note, " forwarded or quoted in the ticket's details");
    } else if (quoted) {
        halyard_text_buffer_append_text(&note, "), but the request is in mail quoted in ");
        halyard_note_append_text(&note, requester_name, 0);
        halyard_text_buffer_append_text(&note, "'s reply");
    }
    if (quoted) {
        if (named) {
            halyard_text_buffer_append_text(&note, ", which names ");
            halyard_note_append_text(&note, author, 0);
            halyard_text_buffer_append_text(&note, " as its sender");
        } else if (author[0] != '\0') {
            halyard_text_buffer_append_text(&note, ", which comes from another sender");
        }
        halyard_text_buffer_append_text(&note, ", not in ");
    } else {
        halyard_text_buffer_append_text(&note, "), but the request is in a reply by ");
        halyard_note_append_text(&note, named ? author : "another end user", 0);
        halyard_text_buffer_append_text(&note, ", not in ");
    }
    halyard_note_append_text(&note, requester_name, 0);
    halyard_text_buffer_append_text(&note, "'s own words.</p>");

    /* Step 2: what halyard did and what the technician does. */
    halyard_text_buffer_append_text(&note, "<p>");
    halyard_note_append_text(&note, requester_name, 0);
    halyard_text_buffer_append_text(
        &note, " was not sent an identity challenge for it, and the plan does not cover it. From "
               "now on every step that writes needs a technician's approval. Confirm who asked "
               "and whose account it is another way (a call back on the number on file) before "
               "acting on the request.");
    if (!quoted) {
        halyard_text_buffer_append_text(&note, " A request for ");
        halyard_note_append_text(&note, named ? author : "another end user", 0);
        halyard_text_buffer_append_text(&note, "'s own account belongs on a ticket of their own.");
    }
    halyard_text_buffer_append_text(&note, "</p>");
    return halyard_text_buffer_take(&note);
}

const char *halyard_verification_other_request_place(const char *kind)
{
    if (strcmp(kind, "forwarded") == 0) {
        return "mail forwarded or quoted in the ticket's details";
    }
    if (strcmp(kind, "quoted") == 0) {
        return "mail quoted in the requester's reply";
    }
    return "another end user's reply";
}
