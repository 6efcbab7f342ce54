/* table.c: the one list of engines, in the order they are tried. */
#include "config.h"

#include "engine.h"

#define BT_ENGINE(fn, label) { label, bt_engine_##fn },
const bt_engine_t bt_engines[] = {
#include "first.def"
#include "mta.def"
#include "services.def"
#include "last.def"
	{ NULL, NULL },
};
#undef BT_ENGINE
