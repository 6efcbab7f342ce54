#!/bin/sh
# tests/test-cli-classify.sh: `bouncetriage classify` as scripts use it:
# JSON Lines keys, standard input (one message, an mbox through a pipe),
# an unreadable path among good ones, folders (FIFO, links, an mbox among
# files), escapes, usage errors.
set -u
bt=$BT_BUILDDIR/tui/bouncetriage
corpus=$BT_SRCDIR/tests/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok () { pass=$((pass + 1)); }
bad () { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# Every key the documentation promises is on each line.
"$bt" classify --json "$corpus/postfix-01-userunknown.eml" >"$tmp/one.json"
for key in file recipient status replycode reason hard action command diagnostic \
	   remote_mta reporting_mta engine kb original_message_id original_subject date; do
	grep -q "\"$key\":" "$tmp/one.json" && ok || bad "key $key missing"
done
grep -q '"recipient":"bruno.castellan@example.net"' "$tmp/one.json" && ok || bad "recipient of postfix-01"

# One message on standard input gives what the path gives (but the file name).
cat "$corpus/postfix-01-userunknown.eml" | "$bt" classify --json - >"$tmp/stdin.json"
[ "$(sed 's/"file":"[^"]*"//' "$tmp/stdin.json")" = "$(sed 's/"file":"[^"]*"//' "$tmp/one.json")" ] \
	&& ok || bad "stdin differs from the file"

# An mbox through a pipe: every message read, streamed.
n=0
for f in "$corpus"/*.eml; do
	printf 'From MAILER-DAEMON Sat Nov 28 10:00:00 2026\n'
	sed 's/^From />From /' "$f"
	echo
	n=$((n + 1))
done >"$tmp/all.mbox"
from_pipe=$(cat "$tmp/all.mbox" | "$bt" classify --json - | wc -l)
from_file=$("$bt" classify --json "$tmp/all.mbox" | wc -l)
[ "$from_pipe" -gt 0 ] && [ "$from_pipe" -eq "$from_file" ] && ok \
	|| bad "mbox on a pipe gave $from_pipe records, from the file $from_file"

# A missing path is named, the rest still processed, exit status 1.
"$bt" classify --json "$tmp/nope.eml" "$corpus/postfix-01-userunknown.eml" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 1 ] && ok || bad "missing path: exit $st, want 1"
grep -q "nope.eml" "$tmp/err" && ok || bad "missing path not named: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/out")" -eq 1 ] && ok || bad "the good path was not processed"

# In a folder: a FIFO is named and skipped (opening it would block), a
# subfolder and a symbolic link to a message are followed, an mbox among
# the files is read message by message.
mkdir -p "$tmp/dir/sub"
cp "$corpus/postfix-01-userunknown.eml" "$tmp/dir/a.eml"
cp "$corpus/postfix-01-userunknown.eml" "$tmp/dir/sub/b.eml"
ln -s "$tmp/dir/a.eml" "$tmp/dir/c.eml"
cp "$tmp/all.mbox" "$tmp/dir/d.mbox"
mkfifo "$tmp/dir/fifo"
"$bt" classify --json "$tmp/dir" >"$tmp/out" 2>"$tmp/err"
st=$?
[ $st -eq 1 ] && ok || bad "folder with a FIFO: exit $st, want 1"
grep -q "dir/fifo: not a regular file" "$tmp/err" && ok || bad "FIFO not named: $(cat "$tmp/err")"
[ "$(grep -c -e '"file":"[^"]*/dir/[ac].eml"' -e '"file":"[^"]*/dir/sub/b.eml"' "$tmp/out")" -eq 3 ] && ok || bad "folder files: $(grep -c . "$tmp/out") lines"
[ "$(grep -c '"file":"[^"]*/dir/d.mbox:' "$tmp/out")" -eq "$from_file" ] && ok || bad "mbox in a folder"

# Escapes: a control character and a C1 control in a subject are written
# as \u escapes, never raw.
printf 'Subject: x\033[31m y\302\233z\n' >"$tmp/esc-head"
sed '/^Subject:/d' "$corpus/postfix-01-userunknown.eml" | cat "$tmp/esc-head" - >"$tmp/esc.eml"
"$bt" classify --json "$tmp/esc.eml" >"$tmp/out"
grep -q '"subject":"x\\u001b\[31m y\\u009bz"' "$tmp/out" && ok || bad "escapes: $(grep -o '"subject":"[^"]*"' "$tmp/out")"
LC_ALL=C grep -q "$(printf '\033')" "$tmp/out" && bad "raw ESC in the JSON" || ok
# The same inside and after long plain runs (the writer skips eight plain
# bytes at a time): a quote, a backslash, DEL, ESC and UTF-8 at word offsets.
printf 'Subject: 0123456789abcdef"quoted" 0123456789\\back\177del 0123456789abcdefgh\033x 01234567caf\303\251 and then a long ASCII tail to end\n' >"$tmp/esc-head"
sed '/^Subject:/d' "$corpus/postfix-01-userunknown.eml" | cat "$tmp/esc-head" - >"$tmp/esc.eml"
"$bt" classify --json "$tmp/esc.eml" >"$tmp/out"
grep -qF '"subject":"0123456789abcdef\"quoted\" 0123456789\\back\u007fdel 0123456789abcdefgh\u001bx 01234567caf'"$(printf '\303\251')"' and then a long ASCII tail to end"' "$tmp/out" && ok || bad "escapes in long runs: $(grep -o '"subject":"[^}]*end"' "$tmp/out")"

# A non-bounce prints nothing.
[ -z "$("$bt" classify --json "$corpus"/nonbounce-01-*.eml)" ] && ok || bad "a non-bounce printed records"

# Usage errors: one line, exit 2, like git.
"$bt" classify --bogus x >/dev/null 2>"$tmp/err"; st=$?
[ $st -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || bad "unknown option: exit $st"
"$bt" frobnicate >/dev/null 2>"$tmp/err"; st=$?
[ $st -eq 2 ] && [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || bad "unknown command: exit $st"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
