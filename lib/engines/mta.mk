# mta.mk: fragment of Makefile.am -- the MTA software engines (see mta.def).
lib_libbouncetriage_a_SOURCES += \
	lib/engines/activehunter.c \
	lib/engines/mcafee.c \
	lib/engines/imailserver.c \
	lib/engines/fml.c \
	lib/engines/trendmicro.c \
	lib/engines/mfilter.c \
	lib/engines/amavis.c \
	lib/engines/powermta.c \
	lib/engines/surfcontrol.c \
	lib/engines/mailmarshal.c \
	lib/engines/mailfoundry.c \
	lib/engines/apachejames.c \
	lib/engines/messagingserver.c \
	lib/engines/exchange2007.c \
	lib/engines/exchange2003.c \
	lib/engines/notes.c \
	lib/engines/domino.c \
	lib/engines/courier.c \
	lib/engines/opensmtpd.c \
	lib/engines/dragonfly.c \
	lib/engines/qmail.c \
	lib/engines/exim.c \
	lib/engines/postfix.c \
	lib/engines/v5sendmail.c \
	lib/engines/sendmail.c \
	lib/engines/x1.c \
	lib/engines/x2.c \
	lib/engines/x3.c \
	lib/engines/x4.c \
	lib/engines/x6.c
