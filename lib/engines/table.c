/* table.c: the one list of engines, in the order they are tried.  Services
 * come before the MTA software they run on (Mail.ru on Exim, Office 365 on
 * Exchange, Yandex on Postfix): their own markers are the more specific. */
#include "config.h"

#include "engine.h"

#define BT_ENGINE(fn, label) { label, bt_engine_##fn },
const bt_engine_t bt_engines[] = {
#include "first.def"
#include "services.def"
#include "mta.def"
#include "last.def"
	{ NULL, NULL },
};
#undef BT_ENGINE
