/* error.c: the core's GError domain. */
#include "config.h"

#include <stdarg.h>
#include "bouncetriage/error.h"

G_DEFINE_QUARK (bouncetriage-error-quark, bt_error)

bt_status_t
bt_error_set (GError **error, bt_status_t status, const char *fmt, ...)
{
	va_list ap;

	if (error == NULL)
		return status;
	va_start (ap, fmt);
	g_clear_error (error);
	*error = g_error_new_valist (BT_ERROR, (gint) status, fmt, ap);
	va_end (ap);
	return status;
}
