/* gandyn.h - the whole public API of libgandyn. */
#ifndef GANDYN_H
#define GANDYN_H

#include "gandyn/version.h"
#include "gandyn/error.h"
#include "gandyn/text.h"
#include "gandyn/param.h"
#include "gandyn/model.h"
#include "gandyn/system.h"
#include "gandyn/run.h"
#include "gandyn/traj.h"
#include "gandyn/diagnose.h"
#include "gandyn/stability.h"
#include "gandyn/scan.h"
#include "gandyn/claims.h"
#include "gandyn/sweep.h"
#include "gandyn/sweepfile.h"
#include "gandyn/spec.h"
#include "gandyn/sim.h"
#include "gandyn/io.h"
#include "gandyn/read.h"
#include "gandyn/gif.h"
#include "gandyn/plot.h"

#endif
