# libchitfund - one non-recursive Makefile. Objects go under $(BUILD)/.
#
#   make            libchitfund.a, libchitfund.so, chitfund.pc, chitfund-server
#   make run        bootstrap, build, local PostgreSQL under .local/, migrate, serve
#   make test       bootstrap, build (-Werror), every suite, lint, ASan/UBSan, valgrind
#   make bench      benchmarks that print numbers (they never pass or fail on time)
#   make install PREFIX=/usr/local
#
# New sources are picked up by wildcard: a file in a layer's folder joins that
# layer; tests/<tier>/test_*.c are runner mains, other .c files in a tier's
# folder are linked into each of that tier's runners.

SANITIZE ?= 0
ifeq ($(SANITIZE),1)
BUILD ?= build-asan
SANFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else
BUILD ?= build
SANFLAGS :=
endif

PREFIX ?= /usr/local
CC ?= cc
OPT ?= -O2 -g
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
BASECFLAGS := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE -fPIC -fvisibility=default $(OPT) $(WARN) $(SANFLAGS) -MMD -MP
CFLAGS ?=
LDFLAGS ?=

PKGS := libpq libcjson openssl libjwt
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CHECK_CFLAGS = $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS = $(shell pkg-config --libs check 2>/dev/null)
SYSLIBS := -lcivetweb -lcrypt -lpthread -lm

SOVERSION := 0
VERSION := 0.1.0

# ---- include paths per layer (the dependency rule, first line of defence) ----
INC_DOMAIN := -Idomain/include
INC_APP := $(INC_DOMAIN) -Ilibchitfund/include -Ilibchitfund/src
INC_INFRA := $(INC_DOMAIN) -Ilibchitfund/include -Iinfrastructure/include $(PKG_CFLAGS)
INC_ADAPT := $(INC_APP) -Iinfrastructure/include -Iadapters/include $(PKG_CFLAGS)
INC_ALL := $(INC_ADAPT) -Iadapters/http -Iserver
INC_TEST := $(INC_ALL) -Itests/support $(CHECK_CFLAGS)

DOMAIN_SRC := $(wildcard domain/src/*.c)
APP_SRC := $(wildcard libchitfund/src/*.c)
INFRA_SRC := $(wildcard infrastructure/*/*.c)
ADAPT_SRC := $(wildcard adapters/memory/*.c adapters/postgres/*.c adapters/system/*.c)
HTTP_SRC := $(wildcard adapters/http/*.c)
SERVER_SRC := $(wildcard server/*.c)
SUPPORT_SRC := $(wildcard tests/support/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
DOMAIN_OBJ := $(call obj,$(DOMAIN_SRC))
APP_OBJ := $(call obj,$(APP_SRC))
INFRA_OBJ := $(call obj,$(INFRA_SRC))
ADAPT_OBJ := $(call obj,$(ADAPT_SRC))
HTTP_OBJ := $(call obj,$(HTTP_SRC))
SERVER_OBJ := $(call obj,$(SERVER_SRC))
SUPPORT_OBJ := $(call obj,$(SUPPORT_SRC))
LIB_OBJ := $(DOMAIN_OBJ) $(APP_OBJ) $(INFRA_OBJ) $(ADAPT_OBJ)

LIB_A := $(BUILD)/libchitfund.a
LIB_SO := $(BUILD)/libchitfund.so.$(VERSION)
HTTP_A := $(BUILD)/libcf_http.a
SERVER := $(BUILD)/chitfund-server
PC := $(BUILD)/chitfund.pc

TIERS := unit contract integration e2e bench
define tier_vars
$(1)_MAINS := $$(wildcard tests/$(1)/test_*.c tests/$(1)/bench_*.c)
$(1)_EXTRA := $$(filter-out $$($(1)_MAINS),$$(wildcard tests/$(1)/*.c))
$(1)_BINS := $$(patsubst tests/$(1)/%.c,$(BUILD)/tests/$(1)/%,$$($(1)_MAINS))
$(1)_EXTRA_OBJ := $$(call obj,$$($(1)_EXTRA))
endef
$(foreach t,$(TIERS),$(eval $(call tier_vars,$(t))))

ALL_OBJ := $(LIB_OBJ) $(HTTP_OBJ) $(SERVER_OBJ) $(SUPPORT_OBJ) $(foreach t,$(TIERS),$($(t)_EXTRA_OBJ))

.PHONY: all lib server tests test check unit contract integration e2e lint format bench fuzz \
	install run clean bootstrap asan asan-unit valgrind test-build

all: lib server $(PC)
lib: $(LIB_A) $(BUILD)/libchitfund.so
server: $(SERVER)

# ---- compilation, per layer ----
$(BUILD)/obj/domain/%.o: domain/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASECFLAGS) $(CFLAGS) $(INC_DOMAIN) -c $< -o $@
$(BUILD)/obj/libchitfund/%.o: libchitfund/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASECFLAGS) $(CFLAGS) $(INC_APP) -c $< -o $@
$(BUILD)/obj/infrastructure/%.o: infrastructure/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASECFLAGS) $(CFLAGS) $(INC_INFRA) -c $< -o $@
$(BUILD)/obj/adapters/%.o: adapters/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASECFLAGS) $(CFLAGS) $(INC_ALL) -c $< -o $@
$(BUILD)/obj/server/%.o: server/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASECFLAGS) $(CFLAGS) $(INC_ALL) -c $< -o $@
$(BUILD)/obj/tests/%.o: tests/%.c
	@mkdir -p $(dir $@)
	$(CC) $(BASECFLAGS) $(CFLAGS) $(INC_TEST) -c $< -o $@

# ---- libraries and binaries ----
$(LIB_A): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
$(LIB_SO): $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libchitfund.so.$(SOVERSION) $(SANFLAGS) -o $@ $^ $(PKG_LIBS) $(SYSLIBS)
$(BUILD)/libchitfund.so: $(LIB_SO)
	ln -sf libchitfund.so.$(VERSION) $(BUILD)/libchitfund.so.$(SOVERSION)
	ln -sf libchitfund.so.$(VERSION) $@
$(HTTP_A): $(HTTP_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@
	ar rcs $@ $^
$(SERVER): $(SERVER_OBJ) $(HTTP_A) $(LIB_A)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $(SERVER_OBJ) $(HTTP_A) $(LIB_A) $(PKG_LIBS) $(SYSLIBS)
$(PC): chitfund.pc.in
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' $< > $@

# ---- tests: one runner binary per tests/<tier>/test_*.c ----
define tier_rules
$(BUILD)/tests/$(1)/%: tests/$(1)/%.c $$($(1)_EXTRA_OBJ) $(SUPPORT_OBJ) $(HTTP_A) $(LIB_A)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(BASECFLAGS) $$(CFLAGS) $$(INC_TEST) $$(LDFLAGS) -o $$@ $$< $$($(1)_EXTRA_OBJ) $(SUPPORT_OBJ) $(HTTP_A) $(LIB_A) $$(CHECK_LIBS) $$(PKG_LIBS) $$(SYSLIBS)
endef
$(foreach t,$(TIERS),$(eval $(call tier_rules,$(t))))

tests: $(foreach t,unit contract integration e2e,$($(t)_BINS))
test-build: all tests

bootstrap:
	@scripts/bootstrap

# make test: what CI runs (.ci/run calls exactly this).
test: bootstrap
	$(MAKE) test-build
	scripts/run-tests all
	$(MAKE) lint
	$(MAKE) asan
	$(MAKE) valgrind

check: test

unit: $(unit_BINS)
	scripts/run-tests unit
contract: $(contract_BINS) $(SERVER)
	scripts/run-tests contract
integration: $(integration_BINS) $(SERVER)
	scripts/run-tests integration
e2e: $(e2e_BINS) $(SERVER)
	scripts/run-tests e2e

# ASan + UBSan build of the unit tests (reduced property-test iterations).
asan:
	$(MAKE) SANITIZE=1 asan-unit
asan-unit: $(unit_BINS)
	BUILD=$(BUILD) CF_PROPERTY_ITERATIONS=20000 scripts/run-tests unit

# valgrind over the unit tests (no fork, reduced iterations).
valgrind: $(unit_BINS)
	BUILD=$(BUILD) CF_PROPERTY_ITERATIONS=2000 CF_VALGRIND=1 scripts/run-tests unit

lint:
	scripts/lint

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

bench: all $(bench_BINS)
	scripts/bench

# libFuzzer harnesses (clang), each run for a bounded time; FUZZ_SECONDS per target.
fuzz:
	scripts/fuzz

run: bootstrap all
	scripts/run-local

install: all
	install -d $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/chitfund/domain \
		$(DESTDIR)$(PREFIX)/include/chitfund/sys $(DESTDIR)$(PREFIX)/include/chitfund/adapters \
		$(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/bin
	install -m 644 $(LIB_A) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIB_SO) $(DESTDIR)$(PREFIX)/lib/
	ln -sf libchitfund.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libchitfund.so.$(SOVERSION)
	ln -sf libchitfund.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/libchitfund.so
	install -m 644 libchitfund/include/chitfund.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 libchitfund/include/chitfund/*.h $(DESTDIR)$(PREFIX)/include/chitfund/
	install -m 644 domain/include/chitfund/domain/*.h $(DESTDIR)$(PREFIX)/include/chitfund/domain/
	if ls libchitfund/include/chitfund/sys/*.h >/dev/null 2>&1; then \
		install -m 644 libchitfund/include/chitfund/sys/*.h $(DESTDIR)$(PREFIX)/include/chitfund/sys/; fi
	if ls adapters/include/chitfund/adapters/*.h >/dev/null 2>&1; then \
		install -m 644 adapters/include/chitfund/adapters/*.h $(DESTDIR)$(PREFIX)/include/chitfund/adapters/; fi
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@VERSION@|$(VERSION)|g' chitfund.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/chitfund.pc
	install -m 755 $(SERVER) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/share/chitfund/migrations
	install -m 644 migrations/*.sql $(DESTDIR)$(PREFIX)/share/chitfund/migrations/

clean:
	rm -rf build build-asan

-include $(ALL_OBJ:.o=.d)
