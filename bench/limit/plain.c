/*
 * plain.c - the bench's reference points for issue 11 (not gandyn code):
 *
 *   plain clock [--adds N]
 *       the core clock, from a dependent chain of N 64-bit integer adds
 *       (1 cycle each on x86-64: every add waits for the previous one),
 *       timed in process CPU time; prints ghz=...
 *
 *   plain starts N SEED FILE
 *       the starts of 'gandyn sweep --random N --seed SEED' as raw
 *       float64, N x 4 (for the Python peers)
 *
 *   plain fma [GHZ]
 *       the throughput of 256-bit FMAs (12 independent chains): GFLOP/s,
 *       and flops per cycle at GHZ
 *
 *   plain step [--model nsgan|gan] [--opt simgd|altgd|rk4] [--points N]
 *              [--steps K] [--every E] [--lr LR] [--h H] [--seed S]
 *              [--block B] [--dump FILE --dump-count K]
 *       the 2-D Dirac GAN step written by hand over lanes with AVX2 + FMA
 *       intrinsics and a cheap exp (below), from the starts of
 *       'gandyn sweep --random N --seed S' (the library draws them, untimed).
 *       --every E > 0 adds a per-lane diagnosis sampled at step 0 and every
 *       E steps: |x|, |theta|, |phi| (three square roots) and 12 statistics
 *       updated per sample (max and min of |x|, |theta|, |phi|, phi_1,
 *       theta_1: 10 min/max updates, and the sums of |theta| and |phi|),
 *       the statistics of gandyn's gdn_diag_acc_add window (which keeps them
 *       for the tail samples only; here every sample updates them).
 *       --every 0: no diagnosis.  --opt rk4: the gradient flow (time
 *       scales 1) by classical RK4 steps of size H (default 0.1), as
 *       'gandyn sweep --opt flow:method=rk4,h=H' takes them.  Prints ns per
 *       trajectory-step in CPU time and the final |theta| of point 0.
 *
 * The step (the field of src/game/dirac_fused.c, the update of
 * src/dynamics/fused.c, the same order of players as gd.c's sim and alt
 * schedules):
 *   t = theta . phi; e = exp(-|t|); r = 1/(1+e);
 *   s = sigmoid(t) = (t >= 0 ? r : e r); sm = sigmoid(-t) = (t >= 0 ? e r : r)
 *   phi   <- phi   - lr s theta
 *   theta <- theta + lr sm phi        (gan: + lr s phi)
 * altgd updates phi first, then theta from t at the new phi (two exps).
 *
 * The cheap exp, for x = -|t| <= 0: x clamped to -700; k = round(x log2 e)
 * by the 1.5*2^52 trick; r = x - k ln2 in two FMAs (ln 2 as hi + lo);
 * e^r by the degree-12 Taylor polynomial by Estrin's scheme (short
 * dependency chains: Horner's 12 FMAs in a row ran 2.4x slower here; the
 * truncation is below 2e-16 relative for |r| <= ln2/2); times 2^k by an
 * integer add of k << 52 to the exponent bits.  Flops (an FMA counted as 2):
 * clamp 1, k 3, r 4, polynomial 26 (r^2, r^4, r^8: 3 muls, 1 + r: 1 add,
 * 11 FMAs): 34.  The nsgan simgd step: t 3 (one mul, one FMA), exp 34,
 * 1 + e 1, the division 1, e r 1, lr s and lr sm 2, the four updates 8
 * (FMAs): 50 flops per trajectory-step (the selects and |t| are bit
 * operations, not counted).
 */
#define _POSIX_C_SOURCE 200809L
#include <immintrin.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gandyn/sweep.h"

#if !defined(__AVX2__) || !defined(__FMA__)
#error "plain.c needs AVX2 and FMA (-march=native on such a CPU)"
#endif

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---------------------------------------------------------------- clock */

static int clock_mode(long adds)
{
    double best = 1e30;
    for (int rep = 0; rep < 5; rep++) {
        uint64_t x = 0;
        long iters = adds / 64;
        double t0 = cpu_s();
        for (long i = 0; i < iters; i++) {
            /* 64 adds, each depending on the one before */
            __asm__ volatile(
                ".rept 64\n\taddq $1, %0\n\t.endr" : "+r"(x));
        }
        double dt = cpu_s() - t0;
        if (x != (uint64_t)iters * 64)
            return fprintf(stderr, "plain: clock chain miscounted\n"), 1;
        if (dt < best)
            best = dt;
    }
    double cycles = (double)(adds / 64 * 64);
    printf("ghz=%.4f adds=%.0f best_s=%.6f\n", cycles / best * 1e-9, cycles,
           best);
    return 0;
}

/* FMA throughput: 12 independent chains of 256-bit FMAs (enough to cover
 * the FMA latency on two pipes); flops per cycle at the clock given. */
static int fma_mode(long iters, double ghz)
{
    double best = 1e30;
    __m256d acc[12];
    for (int rep = 0; rep < 5; rep++) {
        for (int k = 0; k < 12; k++)
            acc[k] = _mm256_set1_pd(1.0 + k * 1e-3);
        const __m256d m = _mm256_set1_pd(0.999999999), a = _mm256_set1_pd(1e-9);
        double t0 = cpu_s();
        for (long i = 0; i < iters; i++) {
#pragma GCC unroll 12
            for (int k = 0; k < 12; k++)
                acc[k] = _mm256_fmadd_pd(acc[k], m, a);
            __asm__ volatile("" : "+x"(acc[0]), "+x"(acc[1]), "+x"(acc[2]),
                             "+x"(acc[3]), "+x"(acc[4]), "+x"(acc[5]));
        }
        double dt = cpu_s() - t0;
        if (dt < best)
            best = dt;
    }
    double sum = 0, v[4];
    for (int k = 0; k < 12; k++) {
        _mm256_storeu_pd(v, acc[k]);
        sum += v[0];
    }
    double gflops = (double)iters * 12 * 4 * 2 / best * 1e-9;
    printf("fma_gflops=%.3f flops_per_cycle=%.3f best_s=%.6f check=%.6g\n",
           gflops, ghz > 0 ? gflops / ghz : 0.0, best, sum);
    return 0;
}

/* ---------------------------------------------------------------- step */

static inline __m256d cheap_exp(__m256d x)
{
    const __m256d magic = _mm256_set1_pd(0x1.8p52);
    x = _mm256_max_pd(x, _mm256_set1_pd(-700.0));
    __m256d kb = _mm256_fmadd_pd(x, _mm256_set1_pd(0x1.71547652b82fep0),
                                 magic);
    __m256d k = _mm256_sub_pd(kb, magic);
    __m256d r = _mm256_fnmadd_pd(k, _mm256_set1_pd(0x1.62e42fefa39efp-1), x);
    r = _mm256_fnmadd_pd(k, _mm256_set1_pd(0x1.abc9e3b39803fp-56), r);
    /* e^r = sum_j r^j / j!, j <= 12, by Estrin's scheme (short chains) */
    __m256d r2 = _mm256_mul_pd(r, r), r4 = _mm256_mul_pd(r2, r2),
            r8 = _mm256_mul_pd(r4, r4);
#define GDN_C(j) _mm256_set1_pd(1.0 / (j))
    __m256d e0 = _mm256_add_pd(_mm256_set1_pd(1.0), r); /* 1 + r */
    __m256d e1 = _mm256_fmadd_pd(r, GDN_C(6.0), GDN_C(2.0));
    __m256d e2 = _mm256_fmadd_pd(r, GDN_C(120.0), GDN_C(24.0));
    __m256d e3 = _mm256_fmadd_pd(r, GDN_C(5040.0), GDN_C(720.0));
    __m256d e4 = _mm256_fmadd_pd(r, GDN_C(362880.0), GDN_C(40320.0));
    __m256d e5 = _mm256_fmadd_pd(r, GDN_C(39916800.0), GDN_C(3628800.0));
    __m256d f0 = _mm256_fmadd_pd(r2, e1, e0);
    __m256d f1 = _mm256_fmadd_pd(r2, e3, e2);
    __m256d f2 = _mm256_fmadd_pd(r2, e5, e4);
    __m256d g0 = _mm256_fmadd_pd(r4, f1, f0);
    __m256d g1 = _mm256_fmadd_pd(r4, GDN_C(479001600.0), f2);
#undef GDN_C
    __m256d p = _mm256_fmadd_pd(r8, g1, g0);
    /* k sits in the low bits of kb (two's complement): add k << 52 */
    __m256i ki = _mm256_slli_epi64(_mm256_castpd_si256(kb), 52);
    return _mm256_castsi256_pd(
        _mm256_add_epi64(_mm256_castpd_si256(p), ki));
}

/* s = sigmoid(t), sm = sigmoid(-t) */
static inline void sigmoids(__m256d t, __m256d *s, __m256d *sm)
{
    const __m256d sign = _mm256_set1_pd(-0.0);
    __m256d e = cheap_exp(_mm256_or_pd(t, sign)); /* -|t| */
    __m256d r = _mm256_div_pd(_mm256_set1_pd(1.0),
                              _mm256_add_pd(_mm256_set1_pd(1.0), e));
    __m256d er = _mm256_mul_pd(e, r);
    __m256d neg = _mm256_cmp_pd(t, _mm256_setzero_pd(), _CMP_LT_OQ);
    *s = _mm256_blendv_pd(r, er, neg);
    *sm = _mm256_blendv_pd(er, r, neg);
}

enum { NSTAT = 12 };

typedef struct {
    int ns, alt;
    size_t B;
    double lr;
} cfg;

/* One step of the B lanes of a block (B a multiple of 4). */
static inline void step_block(const cfg *c, double *restrict p0,
                              double *restrict p1, double *restrict q0,
                              double *restrict q1)
{
    const __m256d lr = _mm256_set1_pd(c->lr);
    for (size_t b = 0; b < c->B; b += 4) { /* B/4 independent chains */
        __m256d a0 = _mm256_load_pd(p0 + b), a1 = _mm256_load_pd(p1 + b);
        __m256d c0 = _mm256_load_pd(q0 + b), c1 = _mm256_load_pd(q1 + b);
        __m256d t = _mm256_fmadd_pd(c1, a1, _mm256_mul_pd(c0, a0));
        __m256d s, sm;
        sigmoids(t, &s, &sm);
        __m256d ls = _mm256_mul_pd(lr, s);
        __m256d n0 = _mm256_fnmadd_pd(ls, c0, a0);
        __m256d n1 = _mm256_fnmadd_pd(ls, c1, a1);
        if (c->alt) { /* theta from the new phi */
            t = _mm256_fmadd_pd(c1, n1, _mm256_mul_pd(c0, n0));
            sigmoids(t, &s, &sm);
        }
        __m256d lg = _mm256_mul_pd(lr, c->ns ? sm : s);
        __m256d b0 = c->alt ? n0 : a0, b1 = c->alt ? n1 : a1;
        _mm256_store_pd(p0 + b, n0), _mm256_store_pd(p1 + b, n1);
        _mm256_store_pd(q0 + b, _mm256_fmadd_pd(lg, b0, c0));
        _mm256_store_pd(q1 + b, _mm256_fmadd_pd(lg, b1, c1));
    }
}

/* The flow's right-hand side at (a, c) with time scales 1 (gandyn's flow
 * defaults): dphi = -(1 s) theta, dtheta = +(1 sm) phi (gan: + (1 s) phi),
 * the time scales' products kept as gandyn's flow_rhs has them.  Flops:
 * t 3, the sigmoids 37 (exp 34, 1 + e, the division, e r), the time scales
 * 2, the four products 4: 46. */
static inline void rhs(int ns, __m256d a0, __m256d a1, __m256d c0,
                       __m256d c1, __m256d d[4])
{
    const __m256d one = _mm256_set1_pd(1.0), sign = _mm256_set1_pd(-0.0);
    __m256d t = _mm256_fmadd_pd(c1, a1, _mm256_mul_pd(c0, a0));
    __m256d s, sm;
    sigmoids(t, &s, &sm);
    __m256d ls = _mm256_xor_pd(_mm256_mul_pd(one, s), sign); /* -(1 s) */
    __m256d lg = _mm256_mul_pd(one, ns ? sm : s);
    d[0] = _mm256_mul_pd(ls, c0), d[1] = _mm256_mul_pd(ls, c1);
    d[2] = _mm256_mul_pd(lg, a0), d[3] = _mm256_mul_pd(lg, a1);
}

/* One classical RK4 step of size h of the flow, for the B lanes of a block.
 * Flops: four right-hand sides 4 x 46, three stages y + c k 3 x 8 (FMAs),
 * the combination y + h/6 (k1 + 2 k2 + 2 k3 + k4) 4 x 7: 236. */
static inline void rk4_block(const cfg *c, double h, double *restrict y0,
                             double *restrict y1, double *restrict y2,
                             double *restrict y3)
{
    const __m256d hh = _mm256_set1_pd(0.5 * h), hf = _mm256_set1_pd(h),
                  h6 = _mm256_set1_pd(h / 6.0), two = _mm256_set1_pd(2.0);
    double *yp[4] = {y0, y1, y2, y3};
    for (size_t b = 0; b < c->B; b += 4) {
        __m256d y[4], k1[4], k2[4], k3[4], k4[4], u[4];
        for (int i = 0; i < 4; i++)
            y[i] = _mm256_load_pd(yp[i] + b);
        rhs(c->ns, y[0], y[1], y[2], y[3], k1);
        for (int i = 0; i < 4; i++)
            u[i] = _mm256_fmadd_pd(hh, k1[i], y[i]);
        rhs(c->ns, u[0], u[1], u[2], u[3], k2);
        for (int i = 0; i < 4; i++)
            u[i] = _mm256_fmadd_pd(hh, k2[i], y[i]);
        rhs(c->ns, u[0], u[1], u[2], u[3], k3);
        for (int i = 0; i < 4; i++)
            u[i] = _mm256_fmadd_pd(hf, k3[i], y[i]);
        rhs(c->ns, u[0], u[1], u[2], u[3], k4);
        for (int i = 0; i < 4; i++) {
            __m256d sum = _mm256_fmadd_pd(two, k2[i], k1[i]);
            sum = _mm256_add_pd(_mm256_fmadd_pd(two, k3[i], sum), k4[i]);
            _mm256_store_pd(yp[i] + b, _mm256_fmadd_pd(h6, sum, y[i]));
        }
    }
}

/* One diagnosis sample of the block: st[k * B + b], k < NSTAT. */
static inline void diag_block(const cfg *c, const double *restrict p0,
                              const double *restrict p1,
                              const double *restrict q0,
                              const double *restrict q1, double *restrict st)
{
    size_t B = c->B;
    for (size_t b = 0; b < B; b += 4) {
        __m256d a0 = _mm256_load_pd(p0 + b), a1 = _mm256_load_pd(p1 + b);
        __m256d c0 = _mm256_load_pd(q0 + b), c1 = _mm256_load_pd(q1 + b);
        __m256d a = _mm256_fmadd_pd(a1, a1, _mm256_mul_pd(a0, a0));
        __m256d bb = _mm256_fmadd_pd(c1, c1, _mm256_mul_pd(c0, c0));
        __m256d v[5] = {_mm256_sqrt_pd(_mm256_add_pd(a, bb)),
                        _mm256_sqrt_pd(bb), _mm256_sqrt_pd(a), a0, c0};
        for (int k = 0; k < 5; k++) { /* max, min */
            double *mx = st + (size_t)(2 * k) * B + b, *mn = mx + B;
            _mm256_store_pd(mx, _mm256_max_pd(_mm256_load_pd(mx), v[k]));
            _mm256_store_pd(mn, _mm256_min_pd(_mm256_load_pd(mn), v[k]));
        }
        for (int k = 0; k < 2; k++) { /* sums of |theta|, |phi| */
            double *sum = st + (size_t)(10 + k) * B + b;
            _mm256_store_pd(sum, _mm256_add_pd(_mm256_load_pd(sum), v[1 + k]));
        }
    }
}

static int step_mode(int argc, char **argv)
{
    const char *model = "nsgan", *opt = "simgd", *dump = NULL;
    long N = 200000, steps = 1000, every = 10, seed = 1, B = 64;
    long dump_count = 1000;
    double lr = 0.1, h = 0.1;
    for (int i = 2; i + 1 < argc; i += 2) {
        const char *a = argv[i], *v = argv[i + 1];
        if (!strcmp(a, "--model")) model = v;
        else if (!strcmp(a, "--opt")) opt = v;
        else if (!strcmp(a, "--points")) N = atol(v);
        else if (!strcmp(a, "--steps")) steps = atol(v);
        else if (!strcmp(a, "--every")) every = atol(v);
        else if (!strcmp(a, "--seed")) seed = atol(v);
        else if (!strcmp(a, "--block")) B = atol(v);
        else if (!strcmp(a, "--lr")) lr = atof(v);
        else if (!strcmp(a, "--h")) h = atof(v);
        else if (!strcmp(a, "--dump")) dump = v;
        else if (!strcmp(a, "--dump-count")) dump_count = atol(v);
        else return fprintf(stderr, "plain: bad option %s\n", a), 1;
    }
    int rk4 = !strcmp(opt, "rk4");
    cfg c = {.ns = !strcmp(model, "nsgan"), .alt = !strcmp(opt, "altgd"),
             .B = (size_t)B, .lr = lr};
    if ((!c.ns && strcmp(model, "gan")) ||
        (!c.alt && !rk4 && strcmp(opt, "simgd")) || B < 4 || B % 4 || N < 1)
        return fprintf(stderr, "plain: model nsgan|gan, opt "
                               "simgd|altgd|rk4, block a multiple of 4\n"),
               1;
    /* n points padded to whole blocks (the padding lanes run start 0;
     * the time is divided by the N points asked for) */
    size_t nb = ((size_t)N + (size_t)B - 1) / (size_t)B, n = nb * (size_t)B;
    double *x0 = malloc(n * 4 * sizeof *x0);
    /* the state, block after block: [block][coordinate][B] */
    double *y = aligned_alloc(32, n * 4 * sizeof *y);
    double *st = aligned_alloc(32, (size_t)B * NSTAT * sizeof *st);
    double *fin = malloc(n * 4 * sizeof *fin);
    if (!x0 || !y || !st || !fin)
        return fprintf(stderr, "plain: out of memory\n"), 1;
    gdn_sweep_random_starts((uint64_t)seed, -1, 1, (size_t)N, 4, x0);
    for (size_t k = (size_t)N; k < n; k++)
        memcpy(x0 + 4 * k, x0, 4 * sizeof *x0);
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < 4; i++)
            y[(k / (size_t)B) * 4 * (size_t)B + i * (size_t)B + k % (size_t)B] =
                x0[k * 4 + i];
    double chk = 0;
    double t0 = cpu_s();
    for (size_t j = 0; j < nb; j++) {
        double *p0 = y + j * 4 * (size_t)B, *p1 = p0 + B, *q0 = p1 + B,
               *q1 = q0 + B;
        if (every > 0) {
            for (size_t k = 0; k < NSTAT * (size_t)B; k++)
                st[k] = k / (size_t)B >= 10 ? 0 : (k / (size_t)B) % 2 ? INFINITY : -INFINITY;
            diag_block(&c, p0, p1, q0, q1, st);
        }
        for (long s = 1; s <= steps; s++) {
            if (rk4)
                rk4_block(&c, h, p0, p1, q0, q1);
            else
                step_block(&c, p0, p1, q0, q1);
            if (every > 0 && s % every == 0)
                diag_block(&c, p0, p1, q0, q1, st);
        }
        if (every > 0) /* keep the statistics live */
            for (size_t k = 0; k < NSTAT * (size_t)B; k++)
                chk += st[k];
    }
    double dt = cpu_s() - t0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < 4; i++)
            fin[k * 4 + i] =
                y[(k / (size_t)B) * 4 * (size_t)B + i * (size_t)B + k % (size_t)B];
    printf("ns_per_step=%.4f cpu_s=%.4f points=%ld steps=%ld every=%ld "
           "theta_norm0=%.17g stats_sum=%.6g\n",
           dt / ((double)N * (double)steps) * 1e9, dt, N, steps, every,
           hypot(fin[2], fin[3]), chk);
    if (dump) {
        FILE *fp = fopen(dump, "w");
        if (!fp)
            return fprintf(stderr, "plain: cannot write %s\n", dump), 1;
        for (size_t k = 0; k < (size_t)N && k < (size_t)dump_count; k++)
            fprintf(fp, "%.17g %.17g %.17g %.17g\n", fin[4 * k],
                    fin[4 * k + 1], fin[4 * k + 2], fin[4 * k + 3]);
        fclose(fp);
    }
    free(x0), free(y), free(st), free(fin);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "clock"))
        return clock_mode(argc >= 4 ? atol(argv[3]) : 4000000000L);
    if (argc == 5 && !strcmp(argv[1], "starts")) { /* N SEED FILE */
        size_t N = (size_t)atol(argv[2]);
        double *x = malloc(N * 4 * sizeof *x);
        FILE *fp = fopen(argv[4], "wb");
        if (!x || !fp)
            return fprintf(stderr, "plain: starts: cannot write\n"), 1;
        gdn_sweep_random_starts((uint64_t)atol(argv[3]), -1, 1, N, 4, x);
        size_t w = fwrite(x, sizeof *x, N * 4, fp);
        free(x);
        return fclose(fp) || w != N * 4;
    }
    if (argc >= 2 && !strcmp(argv[1], "fma"))
        return fma_mode(200000000L, argc >= 3 ? atof(argv[2]) : 0.0);
    if (argc >= 2 && !strcmp(argv[1], "step"))
        return step_mode(argc, argv);
    fprintf(stderr, "usage: plain clock [--adds N] | plain step [options]\n");
    return 1;
}
