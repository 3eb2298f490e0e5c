/*
 * test_gif.c - animated GIF writer (gandyn/gif.h), read back with giflib's
 * own decoder: size, frames, loop extension, delays and every pixel of
 * every composed frame against an independent nearest-colour mapping.
 */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <gif_lib.h>

#include "gandyn/error.h"
#include "gandyn/gif.h"

#define TMPDIR_TAG "gif"
#include "tmpdir.h"

#define W 64
#define H 48
#define STRIDE (4 * W + 16) /* rows padded, as cairo may do */
#define NFRAMES 3

/* ------------------------------------------------------------- helpers */

static void put_px(unsigned char *buf, int x, int y, uint32_t argb)
{
    memcpy(buf + (size_t)y * STRIDE + 4 * (size_t)x, &argb, sizeof argb);
}

static uint32_t get_px(const unsigned char *buf, int x, int y)
{
    uint32_t v;
    memcpy(&v, buf + (size_t)y * STRIDE + 4 * (size_t)x, sizeof v);
    return v;
}

/* Three frames: a white canvas with a blue ramp (anti-aliasing-like
 * shades), pseudo-random pixels and a half-transparent pixel; then a
 * small change; then a change in two far corners. */
static void make_frames(unsigned char frames[NFRAMES][H * STRIDE])
{
    uint32_t s = 12345u;
    memset(frames[0], 0xab, sizeof frames[0]); /* padding: never read */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint32_t c = 0xffffffffu;
            if (y >= 10 && y < 20) { /* white -> 0x0072B2 */
                uint32_t k = (uint32_t)x * 255 / (W - 1);
                uint32_t r = 255 - (255 - 0x00) * k / 255;
                uint32_t g = 255 - (255 - 0x72) * k / 255;
                uint32_t b = 255 - (255 - 0xB2) * k / 255;
                c = 0xff000000u | r << 16 | g << 8 | b;
            } else if (y >= 30) {
                s = s * 1103515245u + 12345u;
                c = 0xff000000u | (s >> 8 & 0xffffffu);
            }
            put_px(frames[0], x, y, c);
        }
    /* premultiplied alpha 0x80 with colour 0x40: 0xbf over white */
    put_px(frames[0], 3, 3, 0x80404040u);
    memcpy(frames[1], frames[0], sizeof frames[0]);
    for (int y = 22; y < 26; y++)
        for (int x = 40; x < 47; x++)
            put_px(frames[1], x, y, 0xffe69f00u);
    memcpy(frames[2], frames[1], sizeof frames[1]);
    put_px(frames[2], 1, 2, 0xff000000u);
    put_px(frames[2], W - 2, H - 1, 0xff009e73u);
}

/* Independent reference: composed over white, nearest by squared RGB
 * distance, first index on ties. */
static int ref_index(uint32_t argb, const unsigned int *pal, int npal)
{
    int a = (int)(argb >> 24);
    int c[3];
    for (int i = 0; i < 3; i++) {
        int v = (int)(argb >> (16 - 8 * i) & 0xff) + 255 - a;
        c[i] = v > 255 ? 255 : v;
    }
    int best = 0;
    long bd = 0;
    for (int i = 0; i < npal; i++) {
        long d = 0;
        for (int j = 0; j < 3; j++) {
            long e = c[j] - (long)(pal[i] >> (16 - 8 * j) & 0xff);
            d += e * e;
        }
        if (i == 0 || d < bd)
            bd = d, best = i;
    }
    return best;
}

static void write_anim(const char *path, const unsigned int *pal, int npal,
                       int delay, unsigned char frames[NFRAMES][H * STRIDE])
{
    gdn_error err;
    gdn_gif *g = gdn_gif_open(path, W, H, delay, 1, pal, npal, &err);
    assert_non_null(g);
    for (int k = 0; k < NFRAMES; k++)
        assert_int_equal(gdn_gif_add_frame(g, frames[k], STRIDE, &err),
                         GDN_OK);
    assert_int_equal(gdn_gif_close(g, &err), GDN_OK);
}

/* Reads path back and checks everything against frames. */
static void check_anim(const char *path, const unsigned int *pal, int npal,
                       int delay, unsigned char frames[NFRAMES][H * STRIDE])
{
    int gerr = 0;
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char magic[6];
    assert_int_equal(fread(magic, 1, 6, fp), 6);
    fclose(fp);
    assert_memory_equal(magic, "GIF89a", 6);

    GifFileType *gif = DGifOpenFileName(path, &gerr);
    assert_non_null(gif);
    assert_int_equal(DGifSlurp(gif), GIF_OK);
    assert_int_equal(gif->SWidth, W);
    assert_int_equal(gif->SHeight, H);
    assert_int_equal(gif->ImageCount, NFRAMES);
    assert_non_null(gif->SColorMap);
    assert_true(gif->SColorMap->ColorCount >= npal);
    for (int i = 0; i < npal; i++) {
        GifColorType c = gif->SColorMap->Colors[i];
        assert_int_equal((unsigned)c.Red << 16 | (unsigned)c.Green << 8 |
                             c.Blue,
                         pal[i] & 0xffffffu);
    }

    /* NETSCAPE2.0 loop extension, loop count 0, before the first frame */
    const SavedImage *first = &gif->SavedImages[0];
    int found = 0;
    for (int i = 0; i + 1 < first->ExtensionBlockCount; i++) {
        const ExtensionBlock *b = &first->ExtensionBlocks[i];
        if (b->Function == APPLICATION_EXT_FUNC_CODE && b->ByteCount == 11 &&
            memcmp(b->Bytes, "NETSCAPE2.0", 11) == 0) {
            const ExtensionBlock *sub = b + 1;
            assert_int_equal(sub->Function, CONTINUE_EXT_FUNC_CODE);
            assert_int_equal(sub->ByteCount, 3);
            assert_int_equal(sub->Bytes[0], 1);
            assert_int_equal(sub->Bytes[1] | sub->Bytes[2] << 8, 0);
            found = 1;
        }
    }
    assert_true(found);

    /* compose the frames and compare every pixel */
    unsigned char canvas[W * H];
    memset(canvas, 0, sizeof canvas);
    for (int k = 0; k < NFRAMES; k++) {
        GraphicsControlBlock gcb;
        assert_int_equal(DGifSavedExtensionToGCB(gif, k, &gcb), GIF_OK);
        assert_int_equal(gcb.DelayTime, delay);
        assert_int_equal(gcb.DisposalMode, DISPOSE_DO_NOT);
        assert_int_equal(gcb.TransparentColor, NO_TRANSPARENT_COLOR);
        const SavedImage *im = &gif->SavedImages[k];
        const GifImageDesc *d = &im->ImageDesc;
        assert_null(d->ColorMap);
        assert_false(d->Interlace);
        assert_true(d->Left >= 0 && d->Top >= 0 && d->Width >= 1 &&
                    d->Height >= 1 && d->Left + d->Width <= W &&
                    d->Top + d->Height <= H);
        if (k == 0) /* the first frame is whole */
            assert_true(d->Left == 0 && d->Top == 0 && d->Width == W &&
                        d->Height == H);
        if (k == 1) /* only the changed rectangle */
            assert_true(d->Width * d->Height <= 7 * 4);
        for (int y = 0; y < d->Height; y++)
            memcpy(canvas + (size_t)(d->Top + y) * W + (size_t)d->Left,
                   im->RasterBits + (size_t)y * (size_t)d->Width,
                   (size_t)d->Width);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int want = ref_index(get_px(frames[k], x, y), pal, npal);
                int got = canvas[y * W + x];
                if (got != want)
                    fail_msg("frame %d pixel (%d,%d): index %d, expected %d",
                             k, x, y, got, want);
            }
    }
    assert_int_equal(DGifCloseFile(gif, &gerr), GIF_OK);
}

/* --------------------------------------------------------------- tests */

static unsigned char frames[NFRAMES][H * STRIDE];

static const unsigned int plot_colors[] = {0x0072B2, 0xE69F00, 0x009E73,
                                           0xD55E00, 0xCC79A7, 0x56B4E9,
                                           0xF0E442};

static void test_roundtrip_plot_palette(void **state)
{
    fixture *f = *state;
    char path[512];
    unsigned int pal[256];
    int npal = gdn_gif_palette_for(plot_colors, 7, pal, 256);
    assert_true(npal > 200 && npal <= 256);
    make_frames(frames);
    snprintf(path, sizeof path, "%s/anim.gif", f->dir);
    write_anim(path, pal, npal, 7, frames);
    check_anim(path, pal, npal, 7, frames);
    assert_int_equal(count_entries(f->dir, NULL), 1); /* no temporary left */
}

/* A short palette: 5 entries, padded to 8 in the file; the top byte of an
 * entry is ignored. */
static void test_roundtrip_small_palette(void **state)
{
    fixture *f = *state;
    char path[512];
    static const unsigned int pal[5] = {0xff000000u | 0xffffff, 0x000000,
                                        0x0072B2, 0x7f7f7f, 0x818181};
    make_frames(frames);
    snprintf(path, sizeof path, "%s/small.gif", f->dir);
    write_anim(path, pal, 5, 123, frames);
    check_anim(path, pal, 5, 123, frames);
}

/* Ties go to the lowest index: grey 0x80 is as far from 0x7f as 0x81. */
static void test_ties(void **state)
{
    fixture *f = *state;
    char path[512];
    static const unsigned int pal[3] = {0x000000, 0x7f7f7f, 0x818181};
    unsigned char one[H * STRIDE];
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            memcpy(one + (size_t)y * STRIDE + 4 * (size_t)x,
                   &(uint32_t){0xff808080u}, 4);
    snprintf(path, sizeof path, "%s/ties.gif", f->dir);
    gdn_error err;
    gdn_gif *g = gdn_gif_open(path, W, H, 0, 0, pal, 3, &err);
    assert_non_null(g);
    assert_int_equal(gdn_gif_add_frame(g, one, STRIDE, &err), GDN_OK);
    assert_int_equal(gdn_gif_close(g, &err), GDN_OK);
    int gerr;
    GifFileType *gif = DGifOpenFileName(path, &gerr);
    assert_non_null(gif);
    assert_int_equal(DGifSlurp(gif), GIF_OK);
    assert_int_equal(gif->ImageCount, 1);
    for (int i = 0; i < W * H; i++)
        assert_int_equal(gif->SavedImages[0].RasterBits[i], 1);
    /* loop = 0: no application extension */
    for (int i = 0; i < gif->SavedImages[0].ExtensionBlockCount; i++)
        assert_int_not_equal(gif->SavedImages[0].ExtensionBlocks[i].Function,
                             APPLICATION_EXT_FUNC_CODE);
    DGifCloseFile(gif, &gerr);
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char *buf = malloc(1 << 20);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 20, fp);
    fclose(fp);
    return buf;
}

static void test_deterministic(void **state)
{
    fixture *f = *state;
    char a[512], b[512];
    unsigned int pal[256];
    int npal = gdn_gif_palette_for(plot_colors, 7, pal, 256);
    make_frames(frames);
    snprintf(a, sizeof a, "%s/a.gif", f->dir);
    snprintf(b, sizeof b, "%s/b.gif", f->dir);
    write_anim(a, pal, npal, 5, frames);
    write_anim(b, pal, npal, 5, frames);
    size_t la, lb;
    unsigned char *ba = slurp(a, &la), *bb = slurp(b, &lb);
    assert_true(la > 100);
    assert_int_equal(la, lb);
    assert_memory_equal(ba, bb, la);
    free(ba);
    free(bb);
}

static void test_unwritable(void **state)
{
    fixture *f = *state;
    char path[512];
    gdn_error err;
    unsigned int pal[2] = {0xffffff, 0};
    snprintf(path, sizeof path, "%s/no/such/dir/x.gif", f->dir);
    gdn_error_clear(&err);
    assert_null(gdn_gif_open(path, W, H, 5, 1, pal, 2, &err));
    assert_int_equal(err.code, GDN_EIO);
    assert_non_null(strstr(err.msg, "cannot write '"));
    assert_non_null(strstr(err.msg, "x.gif"));
    assert_int_equal(count_entries(f->dir, NULL), 0);
    /* the target is a directory */
    assert_null(gdn_gif_open(f->dir, W, H, 5, 1, pal, 2, &err));
    assert_int_equal(err.code, GDN_EIO);
    assert_int_equal(count_entries(f->dir, NULL), 0);
}

static void test_abort_and_empty(void **state)
{
    fixture *f = *state;
    char path[512];
    gdn_error err;
    unsigned int pal[2] = {0xffffff, 0};
    make_frames(frames);
    snprintf(path, sizeof path, "%s/x.gif", f->dir);
    gdn_gif *g = gdn_gif_open(path, W, H, 5, 1, pal, 2, &err);
    assert_non_null(g);
    assert_int_equal(count_entries(f->dir, NULL), 1); /* the temporary */
    assert_int_equal(gdn_gif_add_frame(g, frames[0], STRIDE, &err), GDN_OK);
    gdn_gif_abort(g);
    assert_int_equal(count_entries(f->dir, NULL), 0);
    gdn_gif_abort(NULL);
    /* no frames: refused, nothing left */
    g = gdn_gif_open(path, W, H, 5, 1, pal, 2, &err);
    assert_non_null(g);
    assert_int_equal(gdn_gif_close(g, &err), GDN_EINVAL);
    assert_non_null(strstr(err.msg, "x.gif"));
    assert_int_equal(count_entries(f->dir, NULL), 0);
}

static void test_bad_arguments(void **state)
{
    fixture *f = *state;
    char path[512];
    gdn_error err;
    unsigned int pal[257] = {0};
    snprintf(path, sizeof path, "%s/x.gif", f->dir);
    assert_null(gdn_gif_open(path, 0, H, 5, 1, pal, 2, &err));
    assert_int_equal(err.code, GDN_EINVAL);
    assert_non_null(strstr(err.msg, "0x48"));
    assert_null(gdn_gif_open(path, W, 65536, 5, 1, pal, 2, &err));
    assert_int_equal(err.code, GDN_EINVAL);
    assert_null(gdn_gif_open(path, W, H, -1, 1, pal, 2, &err));
    assert_int_equal(err.code, GDN_EINVAL);
    assert_non_null(strstr(err.msg, "-1"));
    assert_null(gdn_gif_open(path, W, H, 5, 1, pal, 0, &err));
    assert_int_equal(err.code, GDN_EINVAL);
    assert_null(gdn_gif_open(path, W, H, 5, 1, pal, 257, &err));
    assert_int_equal(err.code, GDN_EINVAL);
    assert_non_null(strstr(err.msg, "257"));
    assert_int_equal(count_entries(f->dir, NULL), 0);
}

static int has(const unsigned int *pal, int n, unsigned int rgb)
{
    for (int i = 0; i < n; i++)
        if (pal[i] == rgb)
            return 1;
    return 0;
}

static void test_palette_for(void **state)
{
    (void)state;
    unsigned int a[256], b[256];
    static const int maxes[] = {1, 2, 3, 5, 8, 9, 17, 24, 64, 255, 256, 300};
    for (int ncol = 0; ncol <= 7; ncol++)
        for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
            int max = maxes[m];
            memset(a, 0x55, sizeof a);
            memset(b, 0xaa, sizeof b);
            int na = gdn_gif_palette_for(plot_colors, ncol, a, max);
            int nb = gdn_gif_palette_for(plot_colors, ncol, b, max);
            assert_int_equal(na, nb);
            assert_memory_equal(a, b, (size_t)na * sizeof a[0]);
            assert_true(na >= 1 && na <= (max < 256 ? max : 256));
            assert_int_equal(a[0], 0xffffffu);
            for (int i = 0; i < na; i++) {
                assert_true(a[i] <= 0xffffffu);
                for (int j = 0; j < i; j++)
                    assert_int_not_equal(a[i], a[j]);
            }
            if (max >= 2)
                assert_true(has(a, na, 0x000000));
            if (max >= 1 + 1 + ncol) /* white, black, every colour */
                for (int c = 0; c < ncol; c++)
                    assert_true(has(a, na, plot_colors[c]));
        }
    assert_int_equal(gdn_gif_palette_for(plot_colors, 7, a, 0), 0);
    /* the full palette: shades of blue toward white, a grey ramp */
    int n = gdn_gif_palette_for(plot_colors, 7, a, 256);
    assert_true(n >= 200 && n <= 256);
    int greys = 0, blues = 0;
    for (int i = 0; i < n; i++) {
        unsigned r = a[i] >> 16, g = a[i] >> 8 & 0xff, bl = a[i] & 0xff;
        greys += r == g && g == bl;
        /* on the segment white -> 0x0072B2, to rounding */
        int t = (int)(255 - bl); /* 0..77 */
        int er = 255 - 255 * t / 77, eg = 255 - (255 - 0x72) * t / 77;
        blues += t > 0 && abs((int)r - er) <= 3 && abs((int)g - eg) <= 3;
    }
    assert_true(greys >= 16);
    assert_true(blues >= 16);
    /* a colour given twice, or white and black given: no entry twice */
    unsigned int twice[4] = {0x0072B2, 0xffffff, 0x0072B2, 0x000000};
    int n2 = gdn_gif_palette_for(twice, 4, b, 256);
    assert_true(n2 >= 64 && n2 <= 256);
    for (int i = 0; i < n2; i++)
        for (int j = 0; j < i; j++)
            assert_int_not_equal(b[i], b[j]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_roundtrip_plot_palette,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_roundtrip_small_palette,
                                        setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_ties, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_deterministic, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_unwritable, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_abort_and_empty, setup_dir,
                                        teardown_dir),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup_dir,
                                        teardown_dir),
        cmocka_unit_test(test_palette_for),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
