/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * What build.rs runs through the C preprocessor: the protocol header, whose
 * macros (listed with -dM) and enums (in the expanded text) become src/family.rs's
 * generated constants. Nothing here is compiled into the crate.
 */
#include "gnl_foobar_xmpl.h"
