#!/bin/sh
# test-tui-tmux.sh: the screen tests' fallback when libvterm is missing:
# the real program in a detached tmux session of a fixed size, read back
# with capture-pane after each key, as tmux's own regression tests do.
set -u

command -v tmux >/dev/null 2>&1 || { echo "SKIP: tmux not installed"; exit 77; }
: "${BT_BUILDDIR:?}" "${BT_SRCDIR:?}"
prog=$BT_BUILDDIR/tui/bouncetriage
sock=bt-test-$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT
failed=0
passed=0

# wait_for SESSION TEXT: poll the screen until TEXT shows (15 s at most).
wait_for() {
	i=0
	while [ $i -lt 150 ]; do
		if tm capture-pane -p -t "$1" 2>/dev/null | grep -F -q -- "$2"; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	echo "--- waited for '$2'; the screen shows:"
	tm capture-pane -p -t "$1" 2>/dev/null
	return 1
}

check() {
	if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $*"; fi
}

start() {
	tm new-session -d -s "$1" -x "$2" -y "$3" \
		"env TERM=xterm-256color LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_COLOR=1 BOUNCETRIAGE_DATADIR=$BT_SRCDIR $prog $4; sleep 60"
}

start list 100 30 "--files $BT_SRCDIR/tests/corpus"
check wait_for list "Recipient"
check wait_for list "| failures"
tm send-keys -t list j
check wait_for list "2/"
tm send-keys -t list '?'
check wait_for list "Help: keys"
tm send-keys -t list q
check wait_for list "Recipient"
tm resize-window -t list -x 60 -y 20
check wait_for list "-- Classifier"
tm send-keys -t list q

start hostile 120 30 "--files $BT_SRCDIR/tests/tui/hostile.eml"
check wait_for hostile "^[]0;retitled^G"
check wait_for hostile "<U+202E>"
title=$(tm display-message -p -t hostile '#{pane_title}')
case $title in
*retitled*|*pwned*) echo "FAILED: the pane title became '$title'"; failed=$((failed + 1)) ;;
*) passed=$((passed + 1)) ;;
esac
tm send-keys -t hostile q

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
