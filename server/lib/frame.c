/* frame.c: see frame.h. One state machine over the bytes of a connection:
 * a request line, field lines, then a body skipped by its Content-Length or
 * read as chunks (with their trailer section), then the next request. */
#include "lib/frame.h"

#include <string.h>

enum {
    S_START,       /* before a request line (empty lines allowed) */
    S_BLANK_LF,    /* CR of an empty line seen */
    S_METHOD,
    S_TARGET0,     /* the first byte of the target */
    S_TARGET,
    S_VERSION,     /* "HTTP/1.x", name_len bytes of it read */
    S_LINE_LF,     /* CR of a request or field line seen */
    S_FIELD,       /* the start of a field line, or of the end of the head */
    S_NAME,
    S_OWS,         /* after the colon */
    S_VALUE,
    S_HEAD_LF,     /* CR of the empty line ending the head (or trailers) */
    S_BODY,        /* length bytes of body left */
    S_CHUNK_SIZE,
    S_CHUNK_EXT,
    S_CHUNK_LF,    /* CR after a chunk size seen */
    S_CHUNK_DATA,  /* length bytes of the chunk left */
    S_DATA_CR,     /* the CRLF after a chunk's data */
    S_DATA_LF,
    S_FAULT
};

enum { FIELD_OTHER, FIELD_LENGTH, FIELD_CODING, FIELD_HOST };

#define BLANK_LINES_MAX 4      /* empty lines tolerated before a request */
#define LENGTH_MAX 1000000000000000ULL /* a Content-Length or chunk past this is junk */
#define CHUNK_DIGITS_MAX 15
#define CHUNK_EXT_MAX 1024
#define NAME_LONG 0xFF         /* name_len: longer than any framing name */

/* tchar (RFC 9110 §5.6.2). */
static bool tchar(unsigned c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c && strchr("!#$%&'*+-.^_`|~", (int)c) != NULL;
}

/* A byte a field value may hold besides its spaces: visible ASCII or
 * obs-text. Controls (NUL, CR or LF alone, DEL...) may not. */
static bool vchar(unsigned c)
{
    return (c >= 0x21 && c <= 0x7E) || c >= 0x80;
}

static int hex(unsigned c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

static void message_reset(struct frame *f)
{
    const char *error = f->error;
    memset(f, 0, sizeof *f);
    f->state = S_START;
    f->error = error;
}

void frame_init(struct frame *f)
{
    memset(f, 0, sizeof *f);
    f->state = S_START;
}

static bool fault(struct frame *f, const char *why)
{
    f->state = S_FAULT;
    f->error = why;
    return false;
}

/* The colon ended a field name: which field it is. */
static bool name_done(struct frame *f)
{
    f->field = FIELD_OTHER;
    f->value_len = 0;
    f->ows = 0;
    if (f->in_trailer || f->name_len == NAME_LONG)
        return true;
    size_t n = f->name_len;
    if (n == 14 && memcmp(f->name, "content-length", 14) == 0) {
        if (f->lengths++)
            return fault(f, "Content-Length is given twice.");
        f->field = FIELD_LENGTH;
    } else if (n == 17 && memcmp(f->name, "transfer-encoding", 17) == 0) {
        if (f->codings++)
            return fault(f, "Transfer-Encoding is given twice.");
        f->field = FIELD_CODING;
    } else if (n == 4 && memcmp(f->name, "host", 4) == 0) {
        if (f->hosts++)
            return fault(f, "Host is given twice.");
        f->field = FIELD_HOST;
    }
    return true;
}

/* One byte of a field value, not a space or tab. */
static bool value_byte(struct frame *f, unsigned c)
{
    if (!vchar(c))
        return fault(f, "A header holds a control character (NUL, a bare CR or LF, DEL).");
    if (f->field == FIELD_LENGTH) {
        if (c < '0' || c > '9' || f->ows)
            return fault(f, "Content-Length is not a number.");
        f->length = f->length * 10 + (c - '0');
        f->value_len = 1;
        if (f->length > LENGTH_MAX)
            return fault(f, "Content-Length is too large.");
    } else if (f->field == FIELD_CODING) {
        for (; f->ows; f->ows--)
            if (f->value_len < sizeof f->value)
                f->value[f->value_len++] = ' ';
        if (f->value_len < sizeof f->value)
            f->value[f->value_len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        else
            f->value_len = sizeof f->value; /* too long to be "chunked" */
    }
    f->ows = 0;
    return true;
}

/* The CR ending a field value. */
static bool value_done(struct frame *f)
{
    if (f->field == FIELD_LENGTH && !f->value_len)
        return fault(f, "Content-Length is empty.");
    /* trailing spaces too: libmicrohttpd would not read "chunked " as
     * chunked, and would wait for a body that never ends */
    if (f->field == FIELD_CODING &&
        !(f->value_len == 7 && memcmp(f->value, "chunked", 7) == 0 && !f->ows))
        return fault(f, "Transfer-Encoding is not exactly \"chunked\" (no other coding is "
                        "accepted).");
    return true;
}

/* The empty line ending the head (or the trailers): what follows. */
static bool head_done(struct frame *f)
{
    if (f->in_trailer) {
        message_reset(f);
        return true;
    }
    if (f->codings && f->lengths)
        return fault(f, "Both Content-Length and Transfer-Encoding are given.");
    if (f->codings) {
        f->state = S_CHUNK_SIZE;
        f->length = 0;
        f->value_len = 0;
    } else if (f->length) {
        f->state = S_BODY;
    } else {
        message_reset(f);
    }
    return true;
}

static const char http_version[] = "HTTP/1.";

bool frame_feed(struct frame *f, const unsigned char *p, size_t n, size_t *good)
{
    size_t begin = f->started ? (size_t)-1 : 0; /* where this message began in p */
    *good = 0;
    if (f->state == S_FAULT)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned c = p[i];
        if (!f->started) {
            f->started = true;
            begin = i;
        }
        bool ok = true;
        if (c == '\n' && f->state != S_BLANK_LF && f->state != S_LINE_LF &&
            f->state != S_HEAD_LF && f->state != S_CHUNK_LF && f->state != S_DATA_LF &&
            f->state != S_BODY && f->state != S_CHUNK_DATA) {
            *good = begin == (size_t)-1 ? 0 : begin;
            return fault(f, "A line ends with a bare LF (lines end with CRLF).");
        }
        switch (f->state) {
        case S_START:
            if (c == '\r') {
                f->state = S_BLANK_LF;
            } else if (tchar(c)) {
                f->state = S_METHOD;
            } else {
                ok = fault(f, "The request line does not start with a method.");
            }
            break;
        case S_BLANK_LF:
            if (c != '\n')
                ok = fault(f, "A line ends with a bare CR.");
            else if (++f->blank_lines > BLANK_LINES_MAX)
                ok = fault(f, "Too many empty lines before the request line.");
            else
                f->state = S_START;
            break;
        case S_METHOD:
            if (c == ' ')
                f->state = S_TARGET0;
            else if (!tchar(c))
                ok = fault(f, "The method holds a character no method may.");
            break;
        case S_TARGET0:
        case S_TARGET:
            if (c == ' ' && f->state == S_TARGET) {
                f->state = S_VERSION;
                f->name_len = 0;
            } else if (vchar(c) && c != 0x7F) {
                f->state = S_TARGET;
            } else {
                ok = fault(f, "The address holds a space, NUL or control character.");
            }
            break;
        case S_VERSION:
            if (f->name_len < sizeof http_version - 1) {
                if (c != (unsigned char)http_version[f->name_len])
                    ok = fault(f, "The request line does not end with HTTP/1.0 or HTTP/1.1.");
                f->name_len++;
            } else if (f->name_len == sizeof http_version - 1) {
                if (c != '0' && c != '1')
                    ok = fault(f, "The request line does not end with HTTP/1.0 or HTTP/1.1.");
                f->name_len++;
            } else if (c == '\r') {
                f->state = S_LINE_LF;
            } else {
                ok = fault(f, "The request line does not end with HTTP/1.0 or HTTP/1.1.");
            }
            break;
        case S_LINE_LF:
            if (c == '\n')
                f->state = S_FIELD;
            else
                ok = fault(f, "A line ends with a bare CR.");
            break;
        case S_FIELD:
            if (c == '\r') {
                f->state = S_HEAD_LF;
            } else if (c == ' ' || c == '\t') {
                ok = fault(f, "A header is folded onto a second line (obs-fold).");
            } else if (tchar(c)) {
                f->state = S_NAME;
                f->name_len = 1;
                f->name[0] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            } else {
                ok = fault(f, "A header line does not start with a name.");
            }
            break;
        case S_NAME:
            if (c == ':') {
                f->state = S_OWS; /* before: a fault sets S_FAULT */
                ok = name_done(f);
            } else if (c == ' ' || c == '\t') {
                ok = fault(f, "A header name is followed by a space before its colon.");
            } else if (!tchar(c)) {
                ok = fault(f, "A header name holds a character no name may.");
            } else if (f->name_len < sizeof f->name) {
                f->name[f->name_len++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            } else {
                f->name_len = NAME_LONG;
            }
            break;
        case S_OWS:
        case S_VALUE:
            if (c == '\r') {
                f->state = S_LINE_LF;
                ok = value_done(f);
            } else if (c == ' ' || c == '\t') {
                if (f->state == S_VALUE && f->ows < 0xFF)
                    f->ows++;
            } else {
                f->state = S_VALUE;
                ok = value_byte(f, c);
            }
            break;
        case S_HEAD_LF:
            if (c == '\n')
                ok = head_done(f);
            else
                ok = fault(f, "A line ends with a bare CR.");
            break;
        case S_BODY: {
            size_t take = n - i < f->length ? n - i : (size_t)f->length;
            f->length -= take;
            i += take - 1;
            if (!f->length)
                message_reset(f);
            break;
        }
        case S_CHUNK_SIZE: {
            int d = hex(c);
            if (d >= 0) {
                if (++f->value_len > CHUNK_DIGITS_MAX)
                    ok = fault(f, "A chunk size is too large.");
                f->length = f->length * 16 + (unsigned)d;
            } else if (!f->value_len) {
                ok = fault(f, "A chunk does not start with its size.");
            } else if (c == '\r') {
                f->state = S_CHUNK_LF;
            } else if (c == ';' || c == ' ' || c == '\t') {
                f->state = S_CHUNK_EXT;
                f->ext_len = 0;
            } else {
                ok = fault(f, "A chunk size is not a hexadecimal number.");
            }
            break;
        }
        case S_CHUNK_EXT:
            if (c == '\r')
                f->state = S_CHUNK_LF;
            else if (!(vchar(c) || c == ' ' || c == '\t') || ++f->ext_len > CHUNK_EXT_MAX)
                ok = fault(f, "A chunk extension is malformed or too long.");
            break;
        case S_CHUNK_LF:
            if (c != '\n') {
                ok = fault(f, "A line ends with a bare CR.");
            } else if (f->length) {
                f->state = S_CHUNK_DATA;
            } else {
                f->in_trailer = true;
                f->state = S_FIELD;
            }
            break;
        case S_CHUNK_DATA: {
            size_t take = n - i < f->length ? n - i : (size_t)f->length;
            f->length -= take;
            i += take - 1;
            if (!f->length)
                f->state = S_DATA_CR;
            break;
        }
        case S_DATA_CR:
            if (c == '\r')
                f->state = S_DATA_LF;
            else
                ok = fault(f, "A chunk's data does not end with CRLF.");
            break;
        case S_DATA_LF:
            if (c == '\n') {
                f->state = S_CHUNK_SIZE;
                f->length = 0;
                f->value_len = 0;
            } else {
                ok = fault(f, "A line ends with a bare CR.");
            }
            break;
        default:
            ok = false;
            break;
        }
        if (!ok) {
            *good = begin == (size_t)-1 ? 0 : begin;
            return false;
        }
    }
    return true;
}
