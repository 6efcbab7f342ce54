#!/bin/sh
# tests/test-doc.sh: the man page's generated sections (settings, keys) match
# what the program prints, and --help names every command of the table.
set -eu
bt=$BT_BUILDDIR/tui/bouncetriage
"$BT_SRCDIR/doc/update-man" --check "$bt" "$BT_SRCDIR/doc/bouncetriage.1"
for cmd in $("$bt" --help | awk '/^Commands:/ { on = 1; next } /^$/ { on = 0 } on { print $1 }'); do
	grep -q "^\.B bouncetriage $cmd" "$BT_SRCDIR/doc/bouncetriage.1" || {
		echo "doc/bouncetriage.1: no synopsis line for '$cmd'" >&2; exit 1; }
done
echo "1 passed, 0 failed"
