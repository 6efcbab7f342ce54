# mta.mk: fragment of Makefile.am -- the MTA software engines.
lib_libbouncetriage_a_SOURCES += \
	lib/engines/qmail.c \
	lib/engines/exim.c \
	lib/engines/postfix.c \
	lib/engines/v5sendmail.c \
	lib/engines/sendmail.c
