#include "sim_message.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *sim_copy_bytes(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy == NULL) {
        return NULL;
    }
    if (length > 0) {
        memcpy(copy, text, length);
    }
    copy[length] = '\0';
    return copy;
}

int sim_header_list_add(struct sim_header_list *list, const char *name, size_t name_length,
                        const char *value, size_t value_length, bool lower_case_name)
{
    if (list->count == list->capacity) {
        size_t capacity = list->capacity == 0 ? 8 : list->capacity * 2;
        struct sim_header *items = realloc(list->items, capacity * sizeof *items);
        if (items == NULL) {
            return -1;
        }
        list->items = items;
        list->capacity = capacity;
    }

    char *name_copy = sim_copy_bytes(name, name_length);
    char *value_copy = sim_copy_bytes(value, value_length);
    if (name_copy == NULL || value_copy == NULL) {
        free(name_copy);
        free(value_copy);
        return -1;
    }
    if (lower_case_name) {
        for (char *c = name_copy; *c != '\0'; c++) {
            *c = (char)tolower((unsigned char)*c);
        }
    }

    list->items[list->count].name = name_copy;
    list->items[list->count].value = value_copy;
    list->count++;
    return 0;
}

const char *sim_header_list_find(const struct sim_header_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++) {
        if (strcasecmp(list->items[i].name, name) == 0) {
            return list->items[i].value;
        }
    }
    return NULL;
}

void sim_header_list_clear(struct sim_header_list *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].name);
        free(list->items[i].value);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
    list->capacity = 0;
}

/* Returns the size of text as a JSON string literal with its quotes, and writes it to output
 * when output is not NULL. Bytes from 0x80 up pass through, so UTF-8 stays UTF-8. */
static size_t message_json_string(const char *text, char *output)
{
    size_t length = 0;
    if (output != NULL) {
        output[length] = '"';
    }
    length++;

    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        char escape[8];
        size_t escape_length;
        if (*c == '"' || *c == '\\') {
            escape[0] = '\\';
            escape[1] = (char)*c;
            escape_length = 2;
        } else if (*c < 0x20 || *c == 0x7f) {
            escape_length = (size_t)snprintf(escape, sizeof escape, "\\u%04x", *c);
        } else {
            escape[0] = (char)*c;
            escape_length = 1;
        }
        if (output != NULL) {
            memcpy(output + length, escape, escape_length);
        }
        length += escape_length;
    }

    if (output != NULL) {
        output[length] = '"';
    }
    length++;
    return length;
}

int sim_response_set_exception(struct sim_response *response, int status, const char *message)
{
    static const char prefix[] = "{\"ClassName\":\"System.Exception\",\"Message\":";

    sim_response_clear(response);
    size_t message_length = message_json_string(message, NULL);
    size_t length = sizeof prefix - 1 + message_length + 1;
    char *body = malloc(length + 1);
    if (body == NULL) {
        return -1;
    }
    memcpy(body, prefix, sizeof prefix - 1);
    message_json_string(message, body + sizeof prefix - 1);
    body[length - 1] = '}';
    body[length] = '\0';

    static const char content_type[] = "application/json; charset=utf-8";
    if (sim_header_list_add(&response->headers, "Content-Type", 12, content_type,
                            sizeof content_type - 1, false) != 0) {
        free(body);
        return -1;
    }
    response->status = status;
    response->body = body;
    response->body_length = length;
    return 0;
}

void sim_response_clear(struct sim_response *response)
{
    sim_header_list_clear(&response->headers);
    free(response->body);
    response->body = NULL;
    response->body_length = 0;
    response->status = 0;
    response->delay_ms = 0;
    response->drop = false;
}

void sim_delivery_clear(struct sim_delivery *delivery)
{
    free(delivery->attempt_id);
    free(delivery->url);
    free(delivery->method);
    sim_header_list_clear(&delivery->headers);
    free(delivery->body);
    memset(delivery, 0, sizeof *delivery);
}

int sim_delivery_result_set_error(struct sim_delivery_result *result, const char *message)
{
    sim_delivery_result_clear(result);
    result->error = sim_copy_bytes(message, strlen(message));
    return result->error != NULL ? 0 : -1;
}

void sim_delivery_result_clear(struct sim_delivery_result *result)
{
    sim_header_list_clear(&result->headers);
    free(result->body);
    free(result->error);
    memset(result, 0, sizeof *result);
}
