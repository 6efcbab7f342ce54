# keymaps.mk: the shipped key bindings (default.keys is also compiled in).
keymapsdir = $(pkgdatadir)/keymaps
dist_keymaps_DATA = keymaps/default.keys keymaps/emacs.keys keymaps/mutt.keys
