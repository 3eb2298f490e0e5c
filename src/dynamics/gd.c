/*
 * gd.c - the schedules of descent over a game's players, and plain
 * gradient descent.
 *
 * A first-order method is a per-player update rule (plain, momentum, Adam,
 * ...) run on a schedule:
 *
 *   sim:  xi = xi(x); every player p: x_p <- U_p(x_p, xi_p)
 *         (all players from the same old point)
 *   alt:  order=dg: ndis times { x_0 <- U_0(x_0, xi_0(x)) }, then players
 *         1, 2, ... each from a fresh xi at the current point;
 *         order=gd: the last player first, down to 1, then the ndis
 *         updates of player 0.
 *
 * For the Dirac GAN player 0 is the discriminator phi, player 1 the
 * generator theta.  After every update of a player the game's projection
 * of its block (wgan-clip) is applied.  One call is one generator step.
 *
 *   simgd = plain updates p <- p - h g on the sim schedule;
 *   altgd = the same on the alt schedule.
 * Euler's method with step h on the flow is simgd with lr h, bit for bit.
 */
#include "optim.h"
#include "vector.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* The schedule's bookkeeping: the lanes' worst statuses so far, kept in the
 * last unit of work (doubles, exact for 0, 1, 2).  During a step ctx->st is
 * the game's scratch (each evaluation overwrites it) and these are the
 * record; gdn__step_end copies them back.  An evaluation that is OK on
 * every lane (the common case) changes no record, so it is merged only
 * when its worst is not OK. */
static double *worst_of(const struct gdn_step_ctx *ctx)
{
    return ctx->work + (GDN_STEP_WORK - 1) * ctx->game->dim * ctx->B;
}

void gdn__step_begin(struct gdn_step_ctx *ctx)
{
    if (ctx->B == 1) { /* a single run: its status is the returned one */
        ctx->st[0] = GDN_PT_OK;
        return;
    }
    double *w = worst_of(ctx);
    for (size_t b = 0; b < ctx->B; b++)
        ctx->st[b] = GDN_PT_OK, w[b] = GDN_PT_OK;
}

int gdn__grad(struct gdn_step_ctx *ctx, const double *x, double *out)
{
    ctx->nevals++;
    if (ctx->B == 1) {
        /* the game's own function: single runs pay no dispatch */
        int s = ctx->game->type->grad(ctx->game, 1, x, out, NULL);
        if (s > ctx->st[0])
            ctx->st[0] = s;
        return ctx->st[0];
    }
    if (gdn_game_grad(ctx->game, ctx->B, x, out, ctx->st) == GDN_PT_OK)
        return GDN_PT_OK; /* some lane is defined: no step stops here */
    double *w = worst_of(ctx);
    int all_undef = 1, worst = GDN_PT_OK;
    for (size_t b = 0; b < ctx->B; b++) {
        int s = ctx->st[b] > (int)w[b] ? ctx->st[b] : (int)w[b];
        ctx->st[b] = s, w[b] = s;
        if (s != GDN_PT_UNDEFINED) {
            all_undef = 0;
            worst = s > worst ? s : worst;
        }
    }
    return all_undef ? GDN_PT_UNDEFINED : worst;
}

int gdn__step_end(const struct gdn_step_ctx *ctx)
{
    if (ctx->B == 1)
        return ctx->st[0];
    const double *w = worst_of(ctx);
    int worst = GDN_PT_OK;
    for (size_t b = 0; b < ctx->B; b++) {
        ctx->st[b] = (int)w[b];
        worst = ctx->st[b] > worst ? ctx->st[b] : worst;
    }
    return worst;
}

/* (static: a target_clones function that is not would be exported) */
GDN_VECTOR_CLONES
static void descend(const struct gdn_step_ctx *ctx, double *x,
                    const double *g)
{
    const gdn_game *gm = ctx->game;
    size_t B = ctx->B;
    if (B == 1) {
        for (size_t p = 0; p < gm->nplayers; p++) {
            double lr = ctx->lr[p];
            for (size_t i = gm->off[p]; i < gm->off[p + 1]; i++)
                x[i] -= lr * g[i];
        }
        return;
    }
    for (size_t p = 0; p < gm->nplayers; p++) {
        const double *lr = ctx->lr + p * B;
        for (size_t i = gm->off[p] * B; i < gm->off[p + 1] * B; i += B) {
            double *restrict xi = x + i;
            const double *restrict gi = g + i, *restrict lb = lr;
            for (size_t b = 0; b < B; b++)
                xi[b] -= lb[b] * gi[b];
        }
    }
}

void gdn__descend(const struct gdn_step_ctx *ctx, double *x, const double *g)
{
    descend(ctx, x, g);
}

size_t gdn__no_mem(const gdn_game *g)
{
    (void)g;
    return 0;
}

size_t gdn__rule_mem(const gdn_game *g, const gdn__rule *r)
{
    size_t rows = 0;
    for (size_t p = 0; r->rows && p < g->nplayers; p++)
        rows += r->rows(gdn__block(g, p));
    return rows;
}

/* Player p's memory: after the rows of the players before it. */
static double *player_mem(const struct gdn_step_ctx *ctx, const gdn__rule *r,
                          size_t p)
{
    size_t rows = 0;
    if (!r->rows)
        return ctx->mem;
    for (size_t q = 0; q < p; q++)
        rows += r->rows(gdn__block(ctx->game, q));
    return ctx->mem + rows * ctx->B;
}

/* Player p's update from a fresh gradient; 1 when every lane is undefined
 * (the step stops). */
static int player(struct gdn_step_ctx *ctx, double *x, size_t p,
                  const gdn__rule *r)
{
    double *xi = ctx->work;
    if (gdn__grad(ctx, x, xi) == GDN_PT_UNDEFINED)
        return 1;
    r->update(ctx, p, x, xi, player_mem(ctx, r, p), ctx->lr + p * ctx->B);
    gdn__project(ctx, p, x);
    return 0;
}

int gdn__scheduled_step(struct gdn_step_ctx *ctx, double *x,
                        const gdn__rule *r, const gdn__schedule *s)
{
    size_t np = ctx->game->nplayers;
    gdn__step_begin(ctx);
    if (!s->alternating) {
        double *xi = ctx->work;
        if (gdn__grad(ctx, x, xi) == GDN_PT_UNDEFINED)
            return GDN_PT_UNDEFINED;
        double *mem = ctx->mem;
        for (size_t p = 0; p < np; p++) {
            r->update(ctx, p, x, xi, mem, ctx->lr + p * ctx->B);
            gdn__project(ctx, p, x);
            if (r->rows)
                mem += r->rows(gdn__block(ctx->game, p)) * ctx->B;
        }
        return gdn__step_end(ctx);
    }
    if (s->g_first)
        for (size_t p = np - 1; p >= 1; p--)
            if (player(ctx, x, p, r))
                return GDN_PT_UNDEFINED;
    for (long j = 0; j < s->ndis; j++)
        if (player(ctx, x, 0, r))
            return GDN_PT_UNDEFINED;
    if (!s->g_first)
        for (size_t p = 1; p < np; p++)
            if (player(ctx, x, p, r))
                return GDN_PT_UNDEFINED;
    return gdn__step_end(ctx);
}

/* p <- p - h g */
static void plain_update(const struct gdn_step_ctx *ctx, size_t p, double *x,
                         const double *g, double *mem, const double *lr)
{
    size_t B = ctx->B;
    (void)mem;
    if (B == 1) {
        double h = lr[0];
        for (size_t i = ctx->game->off[p]; i < ctx->game->off[p + 1]; i++)
            x[i] -= h * g[i];
        return;
    }
    for (size_t i = ctx->game->off[p] * B; i < ctx->game->off[p + 1] * B;
         i += B)
        for (size_t b = 0; b < B; b++)
            x[i + b] -= lr[b] * g[i + b];
}

static const gdn__rule plain = {plain_update, NULL};

struct simgd_par {
    GDN__LR_FIELDS;
};
struct altgd_par {
    GDN__LR_FIELDS;
    GDN__ORDER_FIELDS;
};
GDN__PAR_FITS(struct altgd_par);

/* The sim schedule of plain updates, written out: every player descends
 * from the same xi, then each block is projected (a projection acts on its
 * own block only, so this is the schedule's order, bit for bit). */
static int simgd_step(struct gdn_step_ctx *ctx, double *x)
{
    gdn__step_begin(ctx);
    if (gdn__grad(ctx, x, ctx->work) == GDN_PT_UNDEFINED)
        return GDN_PT_UNDEFINED;
    gdn__descend(ctx, x, ctx->work);
    gdn__constrain(ctx, x);
    return gdn__step_end(ctx);
}

static int altgd_step(struct gdn_step_ctx *ctx, double *x)
{
    const struct altgd_par *q = ctx->par;
    gdn__schedule s = gdn__schedule_of(NAN, q->order, q->ndis);
    return gdn__scheduled_step(ctx, x, &plain, &s);
}

static const gdn_param simgd_params[] = {
    GDN__LR_PARAMS(0.1, struct simgd_par), {0}};

static const gdn_param altgd_params[] = {
    GDN__LR_PARAMS(0.1, struct altgd_par), GDN__ORDER_PARAMS(struct altgd_par),
    {0}};

const gdn_opt_type gdn_opt_simgd = {
    .name = "simgd",
    .about = "simultaneous gradient descent",
    .update = "x <- x - H xi(x),  H = diag(lr_d, lr_g)",
    .params = simgd_params,
    .mem_size = gdn__no_mem,
    .step = simgd_step,
};

const gdn_opt_type gdn_opt_altgd = {
    .name = "altgd",
    .about = "alternating gradient descent",
    .update = "phi <- phi - lr_d xi_phi(phi, theta) (ndis times); "
              "theta <- theta - lr_g xi_theta(phi, theta)",
    .params = altgd_params,
    .mem_size = gdn__no_mem,
    .step = altgd_step,
};
