/*
 * gif.c - animated GIF files through giflib (see gandyn/gif.h).
 *
 * giflib's low-level encoder writes through our output function into the
 * FILE of a gdn_ofile, so the animation appears under its name only when
 * gdn_gif_close renames it.  Layout of the file:
 *
 *   "GIF89a", screen descriptor with the global palette,
 *   [NETSCAPE2.0 application extension, loop count 0]   when loop != 0
 *   per frame: graphics control extension (delay, "do not dispose"),
 *              image descriptor and LZW data of the changed rectangle,
 *   trailer ';'.
 *
 * Rules:
 *   1. prev holds the palette indices on screen after the last frame; a new
 *      frame is stored as the bounding box of the pixels where its indices
 *      differ from prev (the whole canvas for the first frame; a 1x1 patch
 *      repeating the pixel on screen when nothing changed).
 *   2. The nearest colour of a pixel is looked up in a direct-mapped
 *      cache of 2^15 slots indexed by a multiplicative hash of its 24-bit
 *      RGB (so that neighbouring shades land in different slots); a slot
 *      holds the full colour it answers for, so a hit is always exact.
 */
#include "gandyn/gif.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gif_lib.h>

#include "gandyn/io.h"

#define CACHE_BITS 15          /* the cache has 2^15 slots (rule 2) */
#define CACHE_SIZE (1 << CACHE_BITS)
#define CACHE_USED 0x1000000u  /* marks a filled slot in cache_key */
#define MAX_SIDE 65535         /* GIF sizes are 16-bit */
#define MAX_DELAY 65535        /* GIF delays are 16-bit */
#define MAX_SHADES 32          /* per colour in gdn_gif_palette_for */
#define MIN_GREYS 16           /* grey levels kept when room allows */

struct gdn_gif {
    gdn_ofile out;                       /* the file being written */
    GifFileType *gif;                    /* encoder, writing to out.fp */
    int width, height;                   /* canvas size in pixels */
    int delay_cs;                        /* delay of every frame, 1/100 s */
    int nframes;                         /* frames written */
    int npal;                            /* palette entries in use */
    unsigned int pal[GDN_GIF_MAXCOLORS]; /* 0xRRGGBB */
    unsigned char *prev;                 /* indices on screen (rule 1) */
    unsigned char *cur;                  /* indices of the frame added */
    uint32_t cache_key[CACHE_SIZE];      /* CACHE_USED | rgb; 0: empty */
    unsigned char cache_idx[CACHE_SIZE]; /* nearest index of that rgb */
};

/* giflib's OutputFunc: appends len bytes to the temporary file. */
static int put_bytes(GifFileType *gif, const GifByteType *buf, int len)
{
    FILE *fp = gif->UserData;
    return (int)fwrite(buf, 1, (size_t)len, fp);
}

static int gif_fail(gdn_gif *g, gdn_error *err)
{
    return gdn_error_set(err, GDN_EIO, "cannot write '%s': %s", g->out.path,
                         GifErrorString(g->gif->Error));
}

static void free_gif(gdn_gif *g)
{
    free(g->prev);
    free(g->cur);
    free(g);
}

/* Index of the palette colour nearest to rgb (ties: lowest index). */
static unsigned char nearest(const gdn_gif *g, uint32_t rgb)
{
    int r = (int)(rgb >> 16 & 0xff), gr = (int)(rgb >> 8 & 0xff),
        b = (int)(rgb & 0xff);
    int best = 0;
    long bestd = -1;
    for (int i = 0; i < g->npal; i++) {
        int dr = r - (int)(g->pal[i] >> 16 & 0xff);
        int dg = gr - (int)(g->pal[i] >> 8 & 0xff);
        int db = b - (int)(g->pal[i] & 0xff);
        long d = (long)dr * dr + (long)dg * dg + (long)db * db;
        if (bestd < 0 || d < bestd) {
            bestd = d;
            best = i;
        }
    }
    return (unsigned char)best;
}

/* Cached nearest (rule 2). */
static unsigned char lookup(gdn_gif *g, uint32_t rgb)
{
    uint32_t slot = (rgb * 2654435761u) >> (32 - CACHE_BITS);
    if (g->cache_key[slot] != (CACHE_USED | rgb)) {
        g->cache_key[slot] = CACHE_USED | rgb;
        g->cache_idx[slot] = nearest(g, rgb);
    }
    return g->cache_idx[slot];
}

/* A premultiplied ARGB32 pixel composed over white, as 0xRRGGBB. */
static uint32_t over_white(uint32_t px)
{
    uint32_t a = px >> 24, out = 0;
    for (int shift = 0; shift <= 16; shift += 8) {
        uint32_t c = (px >> shift & 0xff) + (255 - a);
        out |= (c > 255 ? 255 : c) << shift;
    }
    return out;
}

gdn_gif *gdn_gif_open(const char *path, int width, int height, int delay_cs,
                      int loop, const unsigned int *palette_rgb, int npalette,
                      gdn_error *err)
{
    assert(path && (palette_rgb || npalette <= 0));
    if (width < 1 || width > MAX_SIDE || height < 1 || height > MAX_SIDE) {
        gdn_error_set(err, GDN_EINVAL, "'%s': bad size %dx%d (accepted: 1 "
                      "to %d pixels a side)", path, width, height, MAX_SIDE);
        return NULL;
    }
    if (delay_cs < 0 || delay_cs > MAX_DELAY) {
        gdn_error_set(err, GDN_EINVAL, "'%s': bad frame delay %d (accepted: "
                      "0 to %d cs)", path, delay_cs, MAX_DELAY);
        return NULL;
    }
    if (npalette < 1 || npalette > GDN_GIF_MAXCOLORS) {
        gdn_error_set(err, GDN_EINVAL, "'%s': bad palette size %d (accepted: "
                      "1 to %d colours)", path, npalette, GDN_GIF_MAXCOLORS);
        return NULL;
    }
    size_t npix = (size_t)width * (size_t)height;
    gdn_gif *g = calloc(1, sizeof *g);
    if (g) {
        g->prev = malloc(npix);
        g->cur = malloc(npix);
    }
    if (!g || !g->prev || !g->cur) {
        if (g)
            free_gif(g);
        gdn_error_set(err, GDN_ENOMEM, "'%s': out of memory for a %dx%d "
                      "animation", path, width, height);
        return NULL;
    }
    g->width = width;
    g->height = height;
    g->delay_cs = delay_cs;
    g->npal = npalette;
    for (int i = 0; i < npalette; i++)
        g->pal[i] = palette_rgb[i] & 0xffffffu;

    if (gdn_ofile_open(&g->out, path, err) != GDN_OK) {
        free_gif(g);
        return NULL;
    }
    int gerr = 0;
    g->gif = EGifOpen(g->out.fp, put_bytes, &gerr);
    if (!g->gif) {
        gdn_ofile_abort(&g->out);
        free_gif(g);
        gdn_error_set(err, GDN_ENOMEM, "cannot write '%s': %s", path,
                      GifErrorString(gerr));
        return NULL;
    }
    /* the global colour table: a power of two entries, padded with black */
    GifColorType colors[GDN_GIF_MAXCOLORS];
    int ncolors = 2;
    while (ncolors < npalette)
        ncolors *= 2;
    memset(colors, 0, sizeof colors);
    for (int i = 0; i < npalette; i++) {
        colors[i].Red = (GifByteType)(g->pal[i] >> 16 & 0xff);
        colors[i].Green = (GifByteType)(g->pal[i] >> 8 & 0xff);
        colors[i].Blue = (GifByteType)(g->pal[i] & 0xff);
    }
    ColorMapObject *map = GifMakeMapObject(ncolors, colors);
    if (!map) {
        gdn_gif_abort(g);
        gdn_error_set(err, GDN_ENOMEM, "'%s': out of memory", path);
        return NULL;
    }
    EGifSetGifVersion(g->gif, true);
    int ok = EGifPutScreenDesc(g->gif, width, height, 8, 0, map) == GIF_OK;
    GifFreeMapObject(map);
    if (ok && loop) {
        static const unsigned char app[11] = {'N', 'E', 'T', 'S', 'C', 'A',
                                              'P', 'E', '2', '.', '0'};
        static const unsigned char count[3] = {1, 0, 0}; /* loop forever */
        ok = EGifPutExtensionLeader(g->gif, APPLICATION_EXT_FUNC_CODE) ==
                 GIF_OK &&
             EGifPutExtensionBlock(g->gif, sizeof app, app) == GIF_OK &&
             EGifPutExtensionBlock(g->gif, sizeof count, count) == GIF_OK &&
             EGifPutExtensionTrailer(g->gif) == GIF_OK;
    }
    if (!ok) {
        gif_fail(g, err);
        gdn_gif_abort(g);
        return NULL;
    }
    return g;
}

/* Maps the frame to palette indices in g->cur. */
static void quantize(gdn_gif *g, const unsigned char *argb32, int stride)
{
    for (int y = 0; y < g->height; y++) {
        const unsigned char *row = argb32 + (size_t)y * (size_t)stride;
        unsigned char *out = g->cur + (size_t)y * (size_t)g->width;
        uint32_t last = 0;
        unsigned char last_idx = 0;
        for (int x = 0; x < g->width; x++) {
            uint32_t px;
            memcpy(&px, row + 4 * (size_t)x, sizeof px);
            if (x == 0 || px != last) {
                last = px;
                last_idx = lookup(g, over_white(px));
            }
            out[x] = last_idx;
        }
    }
}

/* Bounding box of the pixels where cur and prev differ (rule 1); returns
 * 0 when there are none. */
static int changed_box(const gdn_gif *g, int *x0, int *y0, int *x1, int *y1)
{
    int w = g->width;
    *x0 = w;
    *y0 = g->height;
    *x1 = *y1 = -1;
    for (int y = 0; y < g->height; y++) {
        const unsigned char *a = g->cur + (size_t)y * (size_t)w;
        const unsigned char *b = g->prev + (size_t)y * (size_t)w;
        if (memcmp(a, b, (size_t)w) == 0)
            continue;
        int l = 0, r = w - 1;
        while (a[l] == b[l])
            l++;
        while (a[r] == b[r])
            r--;
        if (l < *x0)
            *x0 = l;
        if (r > *x1)
            *x1 = r;
        if (*y0 > y)
            *y0 = y;
        *y1 = y;
    }
    return *y1 >= 0;
}

int gdn_gif_add_frame(gdn_gif *g, const unsigned char *argb32, int stride,
                      gdn_error *err)
{
    assert(g && argb32 && stride >= 4 * g->width);
    quantize(g, argb32, stride);
    int x0 = 0, y0 = 0, x1 = g->width - 1, y1 = g->height - 1;
    if (g->nframes > 0 && !changed_box(g, &x0, &y0, &x1, &y1))
        x0 = y0 = x1 = y1 = 0;

    GraphicsControlBlock gcb = {DISPOSE_DO_NOT, false, g->delay_cs,
                                NO_TRANSPARENT_COLOR};
    GifByteType ext[4];
    size_t len = EGifGCBToExtension(&gcb, ext);
    int w = x1 - x0 + 1;
    int ok = EGifPutExtension(g->gif, GRAPHICS_EXT_FUNC_CODE, (int)len,
                              ext) == GIF_OK &&
             EGifPutImageDesc(g->gif, x0, y0, w, y1 - y0 + 1, false, NULL) ==
                 GIF_OK;
    for (int y = y0; ok && y <= y1; y++)
        ok = EGifPutLine(g->gif,
                         g->cur + (size_t)y * (size_t)g->width + (size_t)x0,
                         w) == GIF_OK;
    if (!ok)
        return gif_fail(g, err);
    if (ferror(g->out.fp))
        return gdn_error_set(err, GDN_EIO, "cannot write '%s': write error",
                             g->out.path);
    unsigned char *t = g->prev;
    g->prev = g->cur;
    g->cur = t;
    g->nframes++;
    return GDN_OK;
}

int gdn_gif_close(gdn_gif *g, gdn_error *err)
{
    assert(g);
    if (g->nframes == 0) {
        gdn_error_set(err, GDN_EINVAL, "'%s': an animation needs at least "
                      "one frame", g->out.path);
        gdn_gif_abort(g);
        return GDN_EINVAL;
    }
    int gerr = 0;
    int ok = EGifCloseFile(g->gif, &gerr) == GIF_OK;
    g->gif = NULL;
    int rc;
    if (!ok) {
        rc = gdn_error_set(err, GDN_EIO, "cannot write '%s': %s", g->out.path,
                           GifErrorString(gerr));
        gdn_ofile_abort(&g->out);
    } else {
        rc = gdn_ofile_commit(&g->out, err) == GDN_OK ? GDN_OK : GDN_EIO;
    }
    free_gif(g);
    return rc;
}

void gdn_gif_abort(gdn_gif *g)
{
    if (!g)
        return;
    if (g->gif)
        EGifCloseFile(g->gif, NULL);
    gdn_ofile_abort(&g->out);
    free_gif(g);
}

/* ------------------------------------------------------------- palette */

/* Appends rgb unless present; returns the new count. */
static int add_color(unsigned int *pal, int count, int max, unsigned int rgb)
{
    for (int i = 0; i < count; i++)
        if (pal[i] == rgb)
            return count;
    if (count < max)
        pal[count++] = rgb;
    return count;
}

/* Channel k/s of the way from 255 to c, rounded. */
static unsigned int shade(unsigned int c, int k, int s)
{
    unsigned int d = (255 - c) * (unsigned int)(2 * k) + (unsigned int)s;
    return 255 - d / (unsigned int)(2 * s);
}

int gdn_gif_palette_for(const unsigned int *colors, int ncolors,
                        unsigned int *palette, int max)
{
    assert(palette && (colors || ncolors <= 0));
    if (max > GDN_GIF_MAXCOLORS)
        max = GDN_GIF_MAXCOLORS;
    if (ncolors < 0)
        ncolors = 0;
    if (max < 1)
        return 0;
    int count = add_color(palette, 0, max, 0xffffff);
    int avail = max - 1, greys, shades;
    if (ncolors > 0 && avail >= MIN_GREYS + ncolors) {
        shades = (avail - MIN_GREYS) / ncolors;
        if (shades > MAX_SHADES)
            shades = MAX_SHADES;
        greys = avail - ncolors * shades;
    } else {
        /* short of room: black, then each colour once, then more greys */
        greys = avail > ncolors ? avail - ncolors : (avail > 0);
        shades = 1;
    }
    for (int i = 0; i < greys; i++) {
        unsigned int v = (unsigned int)((255 * i + greys / 2) / greys);
        count = add_color(palette, count, max, v << 16 | v << 8 | v);
    }
    for (int c = 0; c < ncolors; c++) {
        unsigned int rgb = colors[c] & 0xffffffu;
        for (int k = 1; k <= shades; k++) {
            unsigned int r = shade(rgb >> 16 & 0xff, k, shades);
            unsigned int gr = shade(rgb >> 8 & 0xff, k, shades);
            unsigned int b = shade(rgb & 0xff, k, shades);
            count = add_color(palette, count, max, r << 16 | gr << 8 | b);
        }
    }
    return count;
}
