/*
 * ui_text.c - UTF-8 on the screen: display widths, clipped drawing and
 * wrapping points.
 *
 * Text from the network is untrusted: invalid UTF-8 and control
 * characters are drawn as '?' so they can never move the cursor or send
 * escape sequences to the terminal.
 */
#include <string.h>
#include <wchar.h>

#include "ui.h"

size_t text_decode(const char *s, size_t n, wchar_t *wc)
{
    mbstate_t st;
    memset(&st, 0, sizeof st);
    size_t r = n ? mbrtowc(wc, s, n, &st) : 0;
    if (r == 0 || r == (size_t)-1 || r == (size_t)-2) {
        *wc = n && s[0] == '\0' ? L'\0' : L'?';
        return 1;
    }
    return r;
}

/* Columns of one character; unprintable ones are shown as '?'. */
static int char_width(wchar_t *wc)
{
    int cw = wcwidth(*wc);
    if (cw < 0 || *wc < 0x20) {
        *wc = L'?';
        return 1;
    }
    return cw;
}

int text_width(const char *s, size_t n)
{
    int cols = 0;
    for (size_t i = 0; i < n;) {
        wchar_t wc;
        i += text_decode(s + i, n - i, &wc);
        cols += char_width(&wc);
    }
    return cols;
}

int text_put(WINDOW *w, int y, int x, const char *s, int maxw)
{
    size_t n = strlen(s);
    int cols = 0;
    wmove(w, y, x);
    for (size_t i = 0; i < n;) {
        wchar_t wc[2] = { 0, 0 };
        i += text_decode(s + i, n - i, &wc[0]);
        int cw = char_width(&wc[0]);
        if (cols + cw > maxw)
            break;
        if (cw > 0 || cols > 0) /* a combining mark needs a base */
            waddnwstr(w, wc, 1);
        cols += cw;
    }
    return cols;
}

size_t text_fit(const char *s, size_t n, int width, bool at_space)
{
    size_t i = 0, last_space = 0;
    int cols = 0;
    while (i < n) {
        wchar_t wc;
        size_t len = text_decode(s + i, n - i, &wc);
        int cw = char_width(&wc);
        if (cols + cw > width && i > 0)
            break;
        cols += cw;
        i += len;
        if (wc == L' ')
            last_space = i;
    }
    if (i < n && at_space && last_space > 0)
        return last_space;
    return i;
}
