/*
 * gandyn/gif.h - animated GIF files from cairo ARGB32 frames.
 *
 * A GIF holds at most 256 colours, so every pixel is mapped to the nearest
 * colour of a fixed palette (squared RGB distance, ties to the lowest
 * index): the same frames always give the same bytes.  The first frame is
 * stored whole; each later one only as the smallest rectangle that differs
 * from the frame before, drawn over it ("do not dispose").  The file is
 * written under a temporary name and renamed into place by gdn_gif_close,
 * so a failed run never leaves half an animation.
 *
 * gdn_gif_palette_for builds a palette that suits plots: white, a grey ramp
 * for text and axes, and for each line colour a ramp of shades from white
 * to that colour, which is where anti-aliased pixels over white fall.
 */
#ifndef GANDYN_GIF_H
#define GANDYN_GIF_H

#include "gandyn/error.h"
#include "gandyn/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An animation being written. */
typedef struct gdn_gif gdn_gif;

/* Longest palette a GIF can hold. */
#define GDN_GIF_MAXCOLORS 256

/* Starts an animation of width x height pixels (1..65535 each) in which
 * every frame is shown for delay_cs hundredths of a second (0..65535);
 * loop != 0 makes it repeat forever (the NETSCAPE2.0 extension, loop count
 * 0).  palette_rgb: npalette colours 0xRRGGBB (1..256; the top byte is
 * ignored), copied.  Returns NULL on failure with err set: GDN_EINVAL for
 * a size, delay or palette out of range (nothing created), GDN_EIO with
 * "cannot write 'PATH': reason", GDN_ENOMEM. */
GDN_API gdn_gif *gdn_gif_open(const char *path, int width, int height, int delay_cs,
                              int loop, const unsigned int *palette_rgb, int npalette,
                              gdn_error *err);

/* Appends a frame: width x height pixels of cairo's CAIRO_FORMAT_ARGB32
 * (a native-endian uint32 0xAARRGGBB per pixel, colour premultiplied by
 * alpha), rows stride bytes apart (stride >= 4 width).  A pixel that is not
 * opaque is first composed over white.  Returns GDN_OK, or GDN_EIO /
 * GDN_ENOMEM with err set; after a failure the animation can only be
 * given to gdn_gif_abort. */
GDN_API int gdn_gif_add_frame(gdn_gif *g, const unsigned char *argb32, int stride,
                              gdn_error *err);

/* Ends the file and renames it into place; frees g in every case.
 * GDN_EINVAL when no frame was added, GDN_EIO when the file cannot be
 * finished (the temporary file is then removed). */
GDN_API int gdn_gif_close(gdn_gif *g, gdn_error *err);

/* Removes the temporary file and frees g.  NULL is a no-op. */
GDN_API void gdn_gif_abort(gdn_gif *g);

/* Writes into palette a plot palette of at most max (<= 256) entries and
 * returns its length: white first, then a ramp of greys from black towards
 * white, then for each of colors[0..ncolors) (0xRRGGBB) shades from
 * nearly white to the colour itself (up to 32 each).  When room is short,
 * black and the colours themselves come first and colours at the end of
 * the list may be left out.  No entry appears twice.  Deterministic;
 * returns 0 when max < 1. */
GDN_API int gdn_gif_palette_for(const unsigned int *colors, int ncolors,
                                unsigned int *palette, int max);

#ifdef __cplusplus
}
#endif
#endif
